import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RunDiaryImport
import RunDiaryModels
import RunDiaryStore

/// `POST /v1/auth/register`, `POST /v1/auth/login`, `POST /v1/auth/logout`.
struct AuthController: Sendable {
    let services: AppServices

    struct RegisterRequest: Decodable {
        let email: String
        let password: String
        let displayName: String?

        enum CodingKeys: String, CodingKey {
            case email, password
            case displayName = "display_name"
        }
    }

    struct RegisterResponse: ResponseEncodable {
        let userID: UUID
        let email: String
        let displayName: String

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case email
            case displayName = "display_name"
        }
    }

    struct LoginRequest: Decodable {
        struct Device: Decodable {
            let id: UUID
            let name: String
            let platform: String?
        }
        let email: String
        let password: String
        let device: Device
    }

    struct LoginResponse: ResponseEncodable {
        let token: String
        let userID: UUID
        let deviceID: UUID

        enum CodingKeys: String, CodingKey {
            case token
            case userID = "user_id"
            case deviceID = "device_id"
        }
    }

    /// Routes that need no token.
    var publicEndpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("register") { request, context in
            try await register(request, context: context)
        }
        routes.post("login") { request, context in
            try await login(request, context: context)
        }
        return routes
    }

    /// Routes behind the bearer token.
    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("logout") { _, context in
            let identity = try context.requireIdentity()
            try await services.accounts.revokeToken(userID: identity.userID, tokenID: identity.tokenID)
            return Response(status: .noContent)
        }
        return routes
    }

    private func register(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RegisterResponse> {
        guard services.configuration.registrationEnabled else {
            throw APIError(.forbidden, code: "registration_closed", detail: "Registration is turned off on this server.")
        }
        let body = try await request.decodeJSON(RegisterRequest.self, limit: 16 << 10)
        let email = try AccountInput.email(body.email)
        try AccountInput.checkPassword(body.password)
        let displayName = try AccountInput.text(body.displayName ?? "", field: "display_name", maxLength: 200)
        let hash = try await services.passwords.hash(body.password)
        do {
            let user = try await services.accounts.createUser(email: email, passwordHash: hash, displayName: displayName)
            return EditedResponse(
                status: .created, response: RegisterResponse(userID: user.id, email: user.email, displayName: displayName))
        } catch AccountStore.AccountError.emailTaken {
            throw APIError(.conflict, code: "email_taken", detail: "An account with this email already exists.")
        }
    }

    private func login(_ request: Request, context: AppRequestContext) async throws -> LoginResponse {
        let body = try await request.decodeJSON(LoginRequest.self, limit: 16 << 10)
        let account = body.email.trimmingCharacters(in: .whitespaces).lowercased()
        if let wait = services.loginThrottle.retryAfter(account: account, address: context.clientAddress) {
            throw APIError(
                .tooManyRequests, code: "too_many_attempts", detail: "Too many failed logins; try again later.",
                headers: [.retryAfter: String(wait)])
        }
        let deviceName = try AccountInput.text(body.device.name, field: "device.name", maxLength: 200)
        let platform = try AccountInput.text(body.device.platform ?? "", field: "device.platform", maxLength: 50)
        let found =
            body.password.utf8.count <= PasswordHasher.maxPasswordBytes
            ? try await services.accounts.user(email: account) : nil
        let verified = try await services.passwords.verify(body.password, hash: found?.passwordHash)
        guard verified, let user = found?.user, user.disabledAt == nil else {
            services.loginThrottle.recordFailure(account: account, address: context.clientAddress)
            // The same answer whether the email is unknown, the password wrong or the account disabled.
            throw APIError(.unauthorized, code: "invalid_credentials", detail: "The email or password is wrong.")
        }
        services.loginThrottle.recordSuccess(account: account)
        // The import device writes only on the server's behalf: no token may speak for it (docs/sync-protocol.md §9.6).
        guard body.device.id != ImportIdentity.serverImportDevice(accountID: user.id) else {
            throw APIError(
                .unprocessableContent, code: "invalid_value", detail: "device.id is reserved for the server's imports.",
                errors: [.init(field: "device.id", code: .invalidValue, message: "This device id is reserved; use another.")])
        }
        let issued = try await services.accounts.issueToken(
            userID: user.id, deviceID: body.device.id, deviceName: deviceName, platform: platform, label: "login")
        context.logger.info("login", metadata: ["user_id": .string(user.id.uuidString.lowercased())])
        return LoginResponse(token: issued.token.text, userID: user.id, deviceID: body.device.id)
    }
}

/// Checks on account fields, answered as 422 with the field.
enum AccountInput {
    static func email(_ raw: String) throws -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !email.contains(where: { $0.isWhitespace })
        else {
            throw invalid("email", code: "invalid_value", "email must be an address like name@example.org.")
        }
        return email
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= PasswordHasher.minPasswordCharacters else {
            throw invalid("password", code: "out_of_range", "password must have at least 8 characters.")
        }
        guard password.utf8.count <= PasswordHasher.maxPasswordBytes else {
            throw invalid("password", code: "too_long", "password must be at most 72 bytes.")
        }
    }

    static func text(_ value: String, field: String, maxLength: Int) throws -> String {
        guard value.unicodeScalars.count <= maxLength else {
            throw invalid(field, code: "too_long", "\(field) must be at most \(maxLength) characters.")
        }
        guard !value.unicodeScalars.contains("\u{0}") else {
            throw invalid(field, code: "invalid_value", "\(field) must not contain NUL characters.")
        }
        return value
    }

    private static func invalid(_ field: String, code: String, _ message: String) -> APIError {
        APIError(
            .unprocessableContent, code: code, detail: message,
            errors: [.init(field: field, code: .init(rawValue: code), message: message)])
    }
}
