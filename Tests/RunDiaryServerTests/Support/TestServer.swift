import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import Postgres
import RunDiaryModels
import RunDiaryServer
import RunDiaryStore
import RunDiaryTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A live RunDiary server on a fresh database, and a client that talks HTTP to it.
struct TestServer: Sendable {
    let client: any TestClientProtocol
    /// The server's database, for assertions and for planting data.
    let database: PostgresClient
    let databaseURL: String

    /// The settings of every test server (tests that build an application of their own start from them too).
    static var testConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        // bcrypt's minimum: tests create hundreds of accounts at once; the tests about cost set their own.
        configuration.bcryptCost = 4
        // The test client keeps one connection between requests however long a loaded machine takes between them;
        // the tests of the timeouts themselves set their own.
        configuration.idleTimeoutSeconds = 3600
        configuration.headerTimeoutSeconds = 3600
        configuration.bodyTimeoutSeconds = 3600
        configuration.databasePoolSize = 8
        return configuration
    }

    /// Runs `body` against a live server over a migrated database of its own.
    @discardableResult
    static func run<Result: Sendable>(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (TestServer) async throws -> Result
    ) async throws -> Result {
        var configuration = testConfiguration
        configure(&configuration)
        let settings = configuration
        return try await TestDatabase.withMigratedDatabase(
            maxConnections: configuration.databasePoolSize, maxWaiting: configuration.databaseMaxWaiting
        ) { url, database in
            var logger = Logger(label: "rundiary-test")
            logger.logLevel = .warning
            // Within `PgBouncer.$current.withValue(…)`, the server reaches its database through PgBouncer in
            // transaction pooling mode, except for its live-sync listener (`LISTEN` needs a session of its own, as in
            // production: `--listen-database-url`); the test's own client (`database`) stays direct.
            guard let bouncer = PgBouncer.current else {
                let app = buildApplication(
                    configuration: settings, client: database, migrations: try TestDatabase.migrations(), logger: logger)
                return try await app.test(.live) { client in
                    try await body(TestServer(client: client, database: database, databaseURL: url))
                }
            }
            var pooledSettings = settings
            pooledSettings.listenDatabaseURL = settings.listenDatabaseURL ?? url
            // PgBouncer 1.18 cannot carry named prepared statements (a name prepared through one server connection
            // is missing, or already taken, on the next): the server runs with `--prepared-statements off` there.
            let pooledConfiguration = PostgresConfiguration(
                connectionString: bouncer.url(for: url), maxConnections: settings.databasePoolSize, preparesStatements: false,
                maxWaiting: settings.databaseMaxWaiting)
            return try await PostgresClient.withClient(configuration: pooledConfiguration, logger: logger) { pooled in
                let app = buildApplication(
                    configuration: pooledSettings, client: pooled, migrations: try TestDatabase.migrations(), logger: logger)
                return try await app.test(.live) { client in
                    try await body(TestServer(client: client, database: database, databaseURL: url))
                }
            }
        }
    }

    /// A response with its body collected.
    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data

        func decode<T: Decodable>(_: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: body)
        }

        /// The body as a JSON object, for checking fields by name.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends a request; `json` is encoded as the body, `raw` is sent as is.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: (any Encodable)? = nil,
        raw: Data? = nil, headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONEncoder().encode(json))
        } else if let raw {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            body = ByteBuffer(bytes: raw)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// Sends a GET on a connection of its own (the test client keeps one connection and answers in order), so that
    /// several requests can be in flight at once.
    func getConcurrently(_ uri: String, token: String? = nil) async throws -> Reply {
        guard let port = client.port, let url = URL(string: "http://127.0.0.1:\(port)\(uri)") else {
            throw TestSetupError("the live server has no port")
        }
        var request = URLRequest(url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestSetupError("not an HTTP response") }
        var headers = HTTPFields()
        for (name, value) in http.allHeaderFields {
            if let text = name as? String, let name = HTTPField.Name(text), let value = value as? String { headers[name] = value }
        }
        return Reply(status: HTTPResponse.Status(code: http.statusCode), headers: headers, body: data)
    }

    /// A signed-in device of a user.
    struct Session: Sendable {
        let token: String
        let userID: UUID
        let deviceID: UUID
        let email: String
    }

    /// Registers a user (if new) and logs a device in.
    func signIn(email: String, password: String = "correct horse battery", deviceID: UUID = UUID(), deviceName: String = "phone")
        async throws -> Session
    {
        let registered = try await send(
            .post, "/v1/auth/register", json: ["email": email, "password": password, "display_name": "Runner"])
        guard registered.status == .created || registered.status == .conflict else {
            throw TestSetupError("register answered \(registered.status): \(registered.text)")
        }
        let login = try await send(
            .post, "/v1/auth/login",
            json: LoginRequest(
                email: email, password: password,
                device: .init(id: deviceID, name: deviceName, platform: "ios")))
        guard login.status == .ok else { throw TestSetupError("login answered \(login.status): \(login.text)") }
        let body = login.json
        return Session(
            token: body["token"] as! String, userID: UUID(uuidString: body["user_id"] as! String)!, deviceID: deviceID,
            email: email)
    }
}
