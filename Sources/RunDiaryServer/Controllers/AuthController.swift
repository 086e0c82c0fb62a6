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

    struct RegisterResponse: Encodable {
        let userID: UUID
        let email: String
        let displayName: String

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case email
            case displayName = "display_name"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(userID.uuidString.lowercased(), forKey: .userID)
            try container.encode(email, forKey: .email)
            try container.encode(displayName, forKey: .displayName)
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

    private func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard services.configuration.registrationEnabled else {
            throw APIError(.forbidden, code: "registration_closed", detail: "Registration is turned off on this server.")
        }
        // Forms, lengths and unknown fields are the OpenAPI document's (RequestValidationMiddleware).
        let body = try await request.decodeJSON(RegisterRequest.self, context: context, limit: AccountInput.bodyLimit)
        let email = body.email
        try AccountInput.checkPasswordBytes(body.password)
        let displayName = body.displayName ?? ""
        let hash = try await services.passwords.hash(body.password)
        do {
            let user = try await services.accounts.createUser(email: email, passwordHash: hash, displayName: displayName)
            return try jsonResponse(
                RegisterResponse(userID: user.id, email: user.email, displayName: displayName), status: .created)
        } catch AccountStore.AccountError.emailTaken {
            throw APIError(.conflict, code: "email_taken", detail: "An account with this email already exists.")
        }
    }

    /// Signs a device in. Guessing is slowed by ``LoginThrottle`` (state shared by every instance): a device the
    /// account already knows is never held up by failures elsewhere.
    private func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(LoginRequest.self, context: context, limit: AccountInput.bodyLimit)
        let account = AccountInput.normalisedEmail(body.email)
        let deviceName = body.device.name
        let platform = body.device.platform ?? ""
        let candidate =
            body.password.utf8.count <= PasswordHasher.maxPasswordBytes
            ? try await services.accounts.signInCandidate(email: account, deviceID: body.device.id) : nil
        // The server's import device is never a device someone signs in with: attempts naming it count as unknown.
        let isKnownDevice =
            candidate.map { $0.deviceIsKnown && body.device.id != ImportIdentity.serverImportDevice(accountID: $0.user.id) }
            ?? false
        let keys = LoginThrottle.keys(
            account: account, address: context.clientAddress, knownDevice: isKnownDevice ? body.device.id : nil)
        if let wait = try await services.loginThrottle.retryAfter(keys) {
            ServerMetrics.countLoginFailure("throttled")
            throw APIError(
                .tooManyRequests, code: "too_many_attempts", detail: "Too many failed logins; try again later.",
                headers: [.retryAfter: String(wait)])
        }
        let verified = try await services.passwords.verify(body.password, hash: candidate?.passwordHash)
        guard verified, let user = candidate?.user, user.disabledAt == nil else {
            try await services.loginThrottle.recordFailure(keys)
            ServerMetrics.countLoginFailure("invalid_credentials")
            // The same answer whether the email is unknown, the password wrong or the account disabled.
            throw APIError(.unauthorized, code: "invalid_credentials", detail: "The email or password is wrong.")
        }
        try await services.loginThrottle.recordSuccess(keys)
        // The import device writes only on the server's behalf: no token may speak for it (docs/sync-protocol.md §9.6).
        guard body.device.id != ImportIdentity.serverImportDevice(accountID: user.id) else {
            throw APIError(
                .unprocessableContent, code: "invalid_value", detail: "device.id is reserved for the server's imports.",
                errors: [.init(field: "device.id", code: .invalidValue, message: "This device id is reserved; use another.")])
        }
        let issued = try await services.accounts.issueToken(
            userID: user.id, deviceID: body.device.id, deviceName: deviceName, platform: platform, label: "login")
        context.logger.info("login", metadata: ["user_id": .string(user.id.uuidString.lowercased())])
        return try jsonResponse(LoginResponse(token: issued.token.text, userID: user.id, deviceID: body.device.id))
    }
}

/// What the account routes check beyond the OpenAPI document (which states forms, lengths and fields, enforced by
/// ``RequestValidationMiddleware``), answered as 422 with the field.
enum AccountInput {
    /// The largest body an account route reads.
    static let bodyLimit = 16 << 10

    /// An e-mail address as accounts are looked up: trimmed and lowercased.
    static func normalisedEmail(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// bcrypt reads 72 bytes: longer passwords are refused rather than silently cut. (A JSON schema cannot count
    /// bytes; the document says it in words.)
    static func checkPasswordBytes(_ password: String) throws {
        guard password.utf8.count <= PasswordHasher.maxPasswordBytes else {
            let message = "password must be at most \(PasswordHasher.maxPasswordBytes) bytes of UTF-8."
            throw APIError.invalid(ValidationIssue(field: "password", code: .tooLong, message: message))
        }
    }
}
