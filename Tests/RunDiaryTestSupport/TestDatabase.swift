import Foundation
import Logging
import Postgres
import RunDiaryStore

/// The PostgreSQL cluster `deploy/dev test` starts, and databases of their own for the tests that need them.
///
/// Every test that writes creates a database, uses it and drops it whatever happens, so tests run in any order and
/// in parallel and leave nothing behind.
public enum TestDatabase {
    public static let logger = Logger(label: "rundiary-tests")

    /// The superuser connection string the test command exports.
    public static var adminURL: String {
        get throws { try environment("RUNDIARY_TEST_DATABASE_URL") }
    }

    /// A variable `deploy/dev test` exports; a clear error when the tests were started some other way.
    public static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError("\(name) is not set; run the tests with `deploy/dev test`")
        }
        return value
    }

    /// The repository's root folder.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The repository's `Migrations/` folder.
    public static let migrationsDirectory = repositoryRoot.appendingPathComponent("Migrations")

    public static func migrations() throws -> [Migration] {
        try Migration.load(from: migrationsDirectory)
    }

    /// Runs `body` with a running client (of the admin database unless `url` is given), closed afterwards; in a slot
    /// of ``DatabaseSlots`` (the caller's, when it holds one).
    @discardableResult
    public static func withClient<T>(
        url: String? = nil, maxConnections: Int = 4, maxWaiting: Int? = nil, _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        let configuration = PostgresConfiguration(
            connectionString: try url ?? adminURL, maxConnections: maxConnections, maxWaiting: maxWaiting)
        return try await DatabaseSlots.withSlot {
            try await PostgresClient.withClient(configuration: configuration, logger: logger, body)
        }
    }

    /// Creates an empty database, runs `body` with its URL, then drops it; all of it in one slot of ``DatabaseSlots``.
    public static func withScratchDatabase<T>(_ body: (_ url: String) async throws -> T) async throws -> T {
        try await DatabaseSlots.withSlot { try await withScratchDatabaseInSlot(body) }
    }

    private static func withScratchDatabaseInSlot<T>(_ body: (_ url: String) async throws -> T) async throws -> T {
        let name = "rdtest_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try adminURL
        try await withClient(url: admin, maxConnections: 1) { client in
            // CREATE DATABASE takes no parameters: the name is an identifier, made above from a UUID.
            try await client.execute("CREATE DATABASE \(try PostgresIdentifier(validating: name))")
        }
        do {
            let result = try await body(url(admin, database: name))
            try await drop(name)
            return result
        } catch {
            try? await drop(name)
            throw error
        }
    }

    /// Creates a database with every migration applied (unless `migrated` is false), runs `body` with its URL and a
    /// client, then drops it.
    public static func withMigratedDatabase<T>(
        maxConnections: Int = 8, maxWaiting: Int? = nil, migrated: Bool = true,
        _ body: (_ url: String, _ client: PostgresClient) async throws -> T
    ) async throws -> T {
        try await withScratchDatabase { url in
            try await withClient(url: url, maxConnections: maxConnections, maxWaiting: maxWaiting) { client in
                if migrated { try await Migrator(client: client, migrations: try migrations(), logger: logger).migrate() }
                return try await body(url, client)
            }
        }
    }

    /// A database with nothing in it, not even migrations.
    public static func withEmptyDatabase<T>(_ body: (_ url: String) async throws -> T) async throws -> T {
        try await withScratchDatabase(body)
    }

    /// Replaces the database name in a libpq URL (`postgresql:///NAME?…` or `postgresql://host/NAME?…`).
    public static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }

    private static func drop(_ name: String) async throws {
        try await withClient(url: try adminURL, maxConnections: 1) { client in
            try await client.execute("DROP DATABASE IF EXISTS \(try PostgresIdentifier(validating: name)) WITH (FORCE)")
        }
    }
}

/// The tests were started without what they need.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
