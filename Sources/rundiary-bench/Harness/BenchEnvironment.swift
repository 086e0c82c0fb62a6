import Foundation

/// What `deploy/dev bench` exports: the cluster's superuser URL, the server binary and PostgreSQL's tools.
struct BenchEnvironment: Sendable {
    /// The superuser URL of the private cluster's database (`rundiary`), used to create the bench database.
    let adminURL: String
    /// The release `rundiary` binary.
    let serverBinary: String
    /// The folder holding `psql` and `pgbench`.
    let pgBinDir: String

    static func fromProcess() throws -> BenchEnvironment {
        let environment = ProcessInfo.processInfo.environment
        func required(_ name: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw BenchError("\(name) is not set: run the bench through `deploy/dev bench`")
            }
            return value
        }
        return BenchEnvironment(
            adminURL: try required("DATABASE_URL"), serverBinary: try required("RUNDIARY_BIN"),
            pgBinDir: try required("RUNDIARY_PG_BINDIR"))
    }

    var psqlPath: String { pgBinDir + "/psql" }
    var pgbenchPath: String { pgBinDir + "/pgbench" }
}

/// A failure of the harness itself (not a slow figure): the run stops and says why.
struct BenchError: Error, CustomStringConvertible, Sendable {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
