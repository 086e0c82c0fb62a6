import Foundation
import Logging
import Postgres
import Testing

/// The test cluster started by `deploy/dev test`, and databases of their own for tests that need them.
enum TestDatabase {
    static let logger = Logger(label: "postgres-tests")

    /// The superuser connection string the test command exports.
    static var adminURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["RUNDIARY_TEST_DATABASE_URL"], !url.isEmpty else {
                throw TestSetupError("RUNDIARY_TEST_DATABASE_URL is not set; run the tests with `deploy/dev test`")
            }
            return url
        }
    }

    static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError("\(name) is not set; run the tests with `deploy/dev test`")
        }
        return value
    }

    /// Runs `body` with a client of the test cluster, shutting it down afterwards.
    @discardableResult
    static func withClient<T>(
        url: String? = nil, maxConnections: Int = 4, _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: try url ?? adminURL, maxConnections: maxConnections),
            logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Replaces the database name in a libpq URL (`postgresql:///NAME?…` or `postgresql://host/NAME?…`).
    static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestDatabase {
    /// Creates an empty database for one test and drops it afterwards, whatever happens.
    static func withScratchDatabase<T>(_ body: (_ url: String) async throws -> T) async throws -> T {
        let name = "pgtest_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try adminURL
        try await withClient(url: admin, maxConnections: 1) { client in
            // CREATE DATABASE takes no parameters; the name is generated above from a UUID, never from input.
            try await client.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
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

    private static func drop(_ name: String) async throws {
        try await withClient(url: try adminURL, maxConnections: 1) { client in
            try await client.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }
}

/// Lets `count` tasks wait for each other.
actor AsyncBarrier {
    private let count: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { self.count = count }

    func arriveAndWait() async {
        arrived += 1
        if arrived == count {
            waiting.forEach { $0.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}
