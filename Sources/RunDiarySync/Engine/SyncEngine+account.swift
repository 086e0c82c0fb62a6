import Foundation
import GRDB
import RunDiaryModels

extension SyncEngine {
    /// Signs this device in (`POST /v1/auth/login`) with its own device id, and keeps the token.
    ///
    /// A database belongs to one account: signing in to another account or server throws ``SyncError``
    /// `accountMismatch` (and revokes the token just issued). Signing in again after a 401 keeps the outbox, the
    /// mutation counter and the clock, so queued edits go out as they are.
    @discardableResult
    public func signIn(server: URL, email: String, password: String, deviceName: String, platform: String = SyncEngine.platform)
        async throws -> AccountInfo
    {
        let server = Self.normalized(server)
        let device = try await database.read { db in try DeviceState.read(db) }
        let body = try JSONEncoder().encode(
            LoginRequest(email: email, password: password, device: .init(id: device.deviceID, name: deviceName, platform: platform)))
        let response = try await send(
            Self.request(server: server, "POST", "v1/auth/login", body: body, timeout: configuration.requestTimeout))
        guard response.status == 200 else { throw Self.refusal(response, "The server refused the sign-in.") }
        let answer = try Self.decode(LoginResponse.self, from: response)
        if let known = device.account, known.userID != answer.userID || known.server != server {
            var logout = Self.request(server: server, "POST", "v1/auth/logout", timeout: configuration.requestTimeout)
            logout.headers["Authorization"] = "Bearer \(answer.token)"
            _ = try? await transport.send(logout)
            throw SyncError(.accountMismatch, detail: "This diary belongs to \(known.email) on \(known.server.absoluteString).")
        }
        try await database.write { db in
            try db.execute(
                literal: """
                    UPDATE device SET server_url = \(server.absoluteString), email = \(email), user_id = \(answer.userID.key),
                        token = \(answer.token)
                    """)
        }
        await setPhase(.idle)
        wake.signal()
        guard let account = try await account() else { throw SyncError(.invalidResponse, detail: "The sign-in was not stored.") }
        return account
    }

    /// Creates an account on a server (`POST /v1/auth/register`); then ``signIn(server:email:password:deviceName:platform:)``.
    public func register(server: URL, email: String, password: String, displayName: String = "") async throws {
        let server = Self.normalized(server)
        let body = try JSONEncoder().encode(RegisterRequest(email: email, password: password, displayName: displayName))
        let response = try await send(
            Self.request(server: server, "POST", "v1/auth/register", body: body, timeout: configuration.requestTimeout))
        guard response.status == 201 else { throw Self.refusal(response, "The server refused the registration.") }
    }

    /// Revokes this device's token on the server (when it can be reached) and forgets it. The diary, its outbox
    /// and its clock stay, so signing in again later sends what is still queued.
    public func signOut() async throws {
        if let logout = try? await request("POST", "v1/auth/logout") {
            _ = try? await transport.send(logout)
        }
        try await database.write { db in try db.execute(sql: "UPDATE device SET token = NULL") }
        await setPhase(.signedOut)
    }

    /// Sends a request to another route of the account's API (exports, share links) with this device's token,
    /// and returns the answer whatever its status; a 401 signs the device out, as in a sync.
    public func send(
        _ method: String, _ path: String, query: [URLQueryItem] = [], json body: Data? = nil, timeout: Double? = nil
    ) async throws -> TransportResponse {
        try await exchange(try await request(method, path, query: query, body: body, timeout: timeout), retrying: false)
    }

    /// One exchange without an account (sign-in, registration): a failure to connect is ``SyncError`` `unreachable`.
    private func send(_ request: TransportRequest) async throws -> TransportResponse {
        do {
            return try await transport.send(request)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw SyncError(.unreachable, detail: "The server cannot be reached.")
        }
    }

    /// The server's URL without a trailing slash, so that `https://host/` and `https://host` are one server.
    static func normalized(_ server: URL) -> URL {
        let text = server.absoluteString
        guard text.hasSuffix("/"), let trimmed = URL(string: String(text.dropLast())) else { return server }
        return trimmed
    }

    /// The platform name sent at sign-in.
    public static var platform: String {
        #if os(iOS)
            "ios"
        #elseif os(macOS)
            "macos"
        #elseif os(Linux)
            "linux"
        #else
            "other"
        #endif
    }
}
