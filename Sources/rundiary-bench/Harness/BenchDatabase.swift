import Foundation

/// The bench's own database on the private cluster, dropped and recreated at every run.
struct BenchDatabase: Sendable {
    static let name = "rundiary_bench"

    /// The bench database's URL (the admin URL with its database replaced).
    let url: String
    let psql: PSQL

    /// Drops and recreates `rundiary_bench`; the server's `--migrate` creates the schema.
    static func recreate(environment: BenchEnvironment) async throws -> BenchDatabase {
        let admin = PSQL(binary: environment.psqlPath, url: environment.adminURL)
        try await admin.run(
            """
            DROP DATABASE IF EXISTS \(name) WITH (FORCE);
            CREATE DATABASE \(name);
            """)
        let url = try Self.url(replacingDatabaseIn: environment.adminURL)
        return BenchDatabase(url: url, psql: PSQL(binary: environment.psqlPath, url: url))
    }

    /// `postgresql://…/<db>?…` with `<db>` replaced by `name` (the bench database unless given).
    static func url(replacingDatabaseIn adminURL: String, with name: String = name) throws -> String {
        guard adminURL.hasPrefix("postgresql://") || adminURL.hasPrefix("postgres://") else {
            throw BenchError("DATABASE_URL must be a postgresql:// URL, as deploy/dev exports it")
        }
        let query = adminURL.firstIndex(of: "?") ?? adminURL.endIndex
        let schemeEnd = adminURL.range(of: "://")!.upperBound
        guard let slash = adminURL[schemeEnd..<query].firstIndex(of: "/") else {
            return String(adminURL[..<query]) + "/" + name + String(adminURL[query...])
        }
        return String(adminURL[...slash]) + name + String(adminURL[query...])
    }
}
