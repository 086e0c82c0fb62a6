import Foundation
import Logging
import Postgres
import RunDiaryStore

/// A freshly created and migrated database for one test, dropped afterwards.
enum TestDatabase {
    static let logger = Logger(label: "cli-tests")

    static var adminURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["RUNDIARY_TEST_DATABASE_URL"], !url.isEmpty else {
                throw TestSetupError("RUNDIARY_TEST_DATABASE_URL is not set; run the tests with `deploy/dev test`")
            }
            return url
        }
    }

    /// The repository's `Migrations/` folder.
    static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Migrations")

    static func migrations() throws -> [Migration] {
        try Migration.load(from: migrationsDirectory)
    }

    /// Creates a migrated database, runs `body` with its URL and a client, then drops it whatever happens.
    static func withMigratedDatabase<T>(
        maxConnections: Int = 8, migrated: Bool = true, _ body: (_ url: String, _ client: PostgresClient) async throws -> T
    ) async throws -> T {
        let name = "rdtest_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try adminURL
        try await withClient(url: admin, maxConnections: 1) { client in
            // Names take no parameters; this one is generated above from a UUID, never from input.
            try await client.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        let url = url(admin, database: name)
        do {
            let result = try await withClient(url: url, maxConnections: maxConnections) { client in
                if migrated { try await Migrator(client: client, migrations: try migrations(), logger: logger).migrate() }
                return try await body(url, client)
            }
            try await drop(name)
            return result
        } catch {
            try? await drop(name)
            throw error
        }
    }

    /// A database with nothing in it, not even migrations.
    static func withEmptyDatabase<T>(_ body: (_ url: String) async throws -> T) async throws -> T {
        try await withMigratedDatabase(migrated: false) { url, _ in try await body(url) }
    }

    @discardableResult
    static func withClient<T>(url: String, maxConnections: Int, _ body: (PostgresClient) async throws -> T) async throws
        -> T
    {
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: url, maxConnections: maxConnections), logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }

    private static func drop(_ name: String) async throws {
        try await withClient(url: try adminURL, maxConnections: 1) { client in
            try await client.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
