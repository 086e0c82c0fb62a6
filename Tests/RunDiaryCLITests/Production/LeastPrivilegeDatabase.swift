import Foundation
import RunDiaryTestSupport

/// A database made by deploy/postgres/roles.sql, as docs/deploy.md makes it: an owner role that migrations run as, and
/// a service role that can read and write rows and nothing else. Role and database names are the test's own.
enum LeastPrivilegeDatabase {
    struct Roles {
        /// The owner's URL (migrations, restores).
        let ownerURL: String
        /// The service's URL (`rundiary serve`).
        let appURL: String
    }

    static let script = Rundiary.repositoryRoot.appendingPathComponent("deploy/postgres/roles.sql")

    /// Makes the roles and the database, migrated as the owner, runs `body`, then drops them; in a slot of the suite's
    /// cluster, as every test database.
    static func with<T>(_ body: (Roles) async throws -> T) async throws -> T {
        try await DatabaseSlots.withSlot { try await withInSlot(body) }
    }

    private static func withInSlot<T>(_ body: (Roles) async throws -> T) async throws -> T {
        let suffix = UUID().uuidString.lowercased().prefix(8)
        let (owner, app, database) = ("rdtest_owner_\(suffix)", "rdtest_app_\(suffix)", "rdtest_lp_\(suffix)")
        let admin = try TestDatabase.adminURL
        let psql = try TestDatabase.environment("RUNDIARY_TEST_PG_BINDIR") + "/psql"
        try await Subprocess.run(
            psql, ["-X", "-q", "-v", "owner=\(owner)", "-v", "app=\(app)", "-v", "dbname=\(database)", "-f", script.path, admin]
        ).requireSuccess("psql -f deploy/postgres/roles.sql")
        let roles = Roles(ownerURL: url(admin, database: database, user: owner), appURL: url(admin, database: database, user: app))
        do {
            try await Rundiary.run(["migrate"], databaseURL: roles.ownerURL).requireMigrated()
            let result = try await body(roles)
            try await drop(psql: psql, admin: admin, database: database, roles: [owner, app])
            return result
        } catch {
            try? await drop(psql: psql, admin: admin, database: database, roles: [owner, app])
            throw error
        }
    }

    private static func drop(psql: String, admin: String, database: String, roles: [String]) async throws {
        let sql = "DROP DATABASE IF EXISTS \(database) WITH (FORCE);\n" + roles.map { "DROP ROLE IF EXISTS \($0);\n" }.joined()
        try await Subprocess.run(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", admin], stdin: sql).requireSuccess("psql (drop)")
    }

    /// `url` (a socket URL of the test cluster) for another database and user.
    static func url(_ url: String, database: String, user: String) -> String {
        var components = URLComponents(string: TestDatabase.url(url, database: database))!
        components.queryItems = (components.queryItems ?? []).filter { $0.name != "user" } + [URLQueryItem(name: "user", value: user)]
        return components.string!
    }
}

extension Rundiary.Outcome {
    fileprivate func requireMigrated() throws {
        guard status == 0 else { throw TestSetupError("rundiary migrate exited \(status): \(stderr)") }
    }
}
