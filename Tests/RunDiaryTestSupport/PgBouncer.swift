import Foundation

/// PgBouncer from Debian's package in transaction pooling mode, in front of the test cluster: every database of the
/// cluster is reachable through it under the same name.
///
/// Its server pool is smaller than the clients' pools, so consecutive transactions of one client connection run on
/// different server connections: a statement that relied on state left by an earlier one (a prepared statement, a
/// `SET`, a session advisory lock, a temporary table) would fail or go wrong.
public final class PgBouncer: Sendable {
    public let port: Int
    private let directory: URL
    /// Foundation's Process is Sendable; only its pid and running state are read from other tasks.
    private let process: Process

    /// The bouncer the tests in this task route their servers through (see `TestServer.run`), if any.
    @TaskLocal public static var current: PgBouncer?

    /// Starts pgbouncer as the cluster's user (it refuses to run as root), waiting until it accepts connections.
    ///
    /// Its port is one the kernel had free a moment before; should another process take it first (a test's server
    /// listening, a connection's local port), pgbouncer exits, and it is started again on another port — never is
    /// whatever holds the port taken for it (a server of another test answered libpq's startup packet with nothing
    /// until its header timeout: "connection failed" 20 s later).
    public static func start(serverPoolSize: Int = 3) async throws -> PgBouncer {
        try await Subprocess.onFreePorts {
            let bouncer = try PgBouncer(serverPoolSize: serverPoolSize)
            if try await bouncer.listens() { return bouncer }
            let log = bouncer.log
            await bouncer.stop()
            throw TestSetupError("pgbouncer did not start: \(log)")
        }
    }

    /// Whether pgbouncer itself listens on its port (it says so in its log, and is still running) and accepts a
    /// connection there, within 5 s; false once it has exited.
    private func listens() async throws -> Bool {
        let marker = "listening on 127.0.0.1:\(port)"
        for _ in 0..<100 {
            guard process.isRunning else { return false }
            if log.contains(marker), (try? RawConnection(port: port)) != nil, process.isRunning { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// pgbouncer's log so far.
    private var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("pgbouncer.log"), encoding: .utf8)) ?? ""
    }

    private init(serverPoolSize: Int) throws {
        let admin = URLComponents(string: try TestDatabase.adminURL)!
        let query = Dictionary(uniqueKeysWithValues: (admin.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        guard let socketDirectory = query["host"], let clusterPort = query["port"], let user = query["user"] else {
            throw TestSetupError("RUNDIARY_TEST_DATABASE_URL names no socket, port and user")
        }
        let owner = try TestDatabase.environment("RUNDIARY_TEST_PG_USER")
        port = try Subprocess.freePort()
        directory = URL(fileURLWithPath: "/tmp/rundiary-pgbouncer-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ini = """
            [databases]
            * = host=\(socketDirectory) port=\(clusterPort)

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = \(port)
            unix_socket_dir =
            auth_type = trust
            auth_file = \(directory.path)/users.txt
            pool_mode = transaction
            default_pool_size = \(serverPoolSize)
            max_client_conn = 200
            logfile = \(directory.path)/pgbouncer.log
            pidfile = \(directory.path)/pgbouncer.pid
            ignore_startup_parameters = extra_float_digits
            """
        try ini.write(to: directory.appendingPathComponent("pgbouncer.ini"), atomically: true, encoding: .utf8)
        try "\"\(user)\" \"\"\n".write(to: directory.appendingPathComponent("users.txt"), atomically: true, encoding: .utf8)
        process = Process()
        if getuid() == 0 {
            // pgbouncer will not run as root: as the cluster's user, which can reach the cluster's socket. Its
            // directory and the two files in it become that user's (chown(2): no child process to wait for on the
            // task's thread).
            var entry = passwd()
            var found: UnsafeMutablePointer<passwd>?
            var text = [CChar](repeating: 0, count: 4096)
            guard getpwnam_r(owner, &entry, &text, text.count, &found) == 0, found != nil else {
                throw TestSetupError("no user \(owner) to run pgbouncer as")
            }
            let (uid, gid) = (entry.pw_uid, entry.pw_gid)
            for path in [
                directory.path, directory.appendingPathComponent("pgbouncer.ini").path, directory.appendingPathComponent("users.txt").path,
            ] {
                guard chown(path, uid, gid) == 0 else {
                    throw TestSetupError("cannot give \(path) to \(owner): error \(errno)")
                }
            }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = [
                "--reuid=\(owner)", "--regid=\(owner)", "--clear-groups", "--", "/usr/sbin/pgbouncer",
                directory.appendingPathComponent("pgbouncer.ini").path,
            ]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/pgbouncer")
            process.arguments = [directory.appendingPathComponent("pgbouncer.ini").path]
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.user = user
    }

    private let user: String

    /// A libpq URL of `database` through the bouncer.
    public func url(database: String) -> String {
        "postgresql://\(user)@127.0.0.1:\(port)/\(database)"
    }

    /// The same database as `url` (a URL of the test cluster), reached through the bouncer.
    public func url(for url: String) -> String {
        self.url(database: String(URLComponents(string: url)!.path.dropFirst()))
    }

    public func stop() async {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
