import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("The pool recovers from lost connections without an application restart")
struct RecoveryTests {
    @Test func terminatedBackendsAreReplaced() async throws {
        let application = "recovery-\(UUID().uuidString.prefix(8))"
        var url = URLComponents(string: try TestDatabase.adminURL)!
        url.queryItems = (url.queryItems ?? []) + [URLQueryItem(name: "application_name", value: application)]
        try await TestDatabase.withClient(url: url.string!, maxConnections: 4) { client in
            try await fillPool(client, connections: 4)
            let killed = try await TestDatabase.withClient { admin in
                try await admin.query(
                    """
                    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))
                    FROM pg_stat_activity WHERE application_name = \(application)
                    """
                ).single().decode(Int.self, at: 0)
            }
            #expect(killed == 4)
            for _ in 0..<20 {
                #expect(try await client.query("SELECT 1::int4").single().decode(Int32.self, at: 0) == 1)
            }
            try await fillPool(client, connections: 4)
        }
    }

    /// A throwaway cluster of its own, restarted while the client holds connections to it.
    @Test(.timeLimit(.minutes(2)))
    func serverRestartIsSurvived() async throws {
        let cluster = try await ThrowawayCluster.start()
        do {
            try await TestDatabase.withClient(url: cluster.url, maxConnections: 3) { client in
                try await fillPool(client, connections: 3)
                try await cluster.stop()
                let down = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
                #expect(down?.code == .connectionFailed || down?.code == .connectionClosed)
                try await cluster.start()
                #expect(try await client.query("SELECT 2::int4").single().decode(Int32.self, at: 0) == 2)
                try await fillPool(client, connections: 3)
            }
            try await cluster.destroy()
        } catch {
            try? await cluster.destroy()
            throw error
        }
    }

    /// Uses every connection of the pool at once, so that each is checked to work.
    private func fillPool(_ client: PostgresClient, connections: Int) async throws {
        let barrier = AsyncBarrier(count: connections)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    try await client.withConnection { connection in
                        await barrier.arriveAndWait()
                        _ = try await connection.query("SELECT 1")
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// A private PostgreSQL cluster in a temporary folder, run as the test command's unprivileged cluster user.
struct ThrowawayCluster {
    let directory: String
    let port: Int
    let binDirectory: String
    let runAs: [String]

    var url: String {
        "postgresql:///postgres?host=\(directory)/run&port=\(port)&user=postgres"
    }

    static func start() async throws -> ThrowawayCluster {
        let binDirectory = try TestDatabase.environment("RUNDIARY_TEST_PG_BINDIR")
        let runAs = (ProcessInfo.processInfo.environment["RUNDIARY_TEST_RUNAS"] ?? "")
            .split(separator: " ").map(String.init)
        let user = try TestDatabase.environment("RUNDIARY_TEST_PG_USER")
        let directory = "/tmp/rundiary-restart-\(UUID().uuidString.prefix(8))"
        let cluster = ThrowawayCluster(
            directory: directory, port: Int.random(in: 40_000...49_000), binDirectory: binDirectory, runAs: runAs)
        try FileManager.default.createDirectory(atPath: directory + "/run", withIntermediateDirectories: true)
        if !runAs.isEmpty {
            try run(["/bin/chown", "-R", user, directory])
        }
        try await cluster.runAsClusterUser(["initdb", "-D", directory + "/data", "-U", "postgres", "-A", "trust", "--no-sync"])
        try await cluster.start()
        return cluster
    }

    func start() async throws {
        try await runAsClusterUser([
            "pg_ctl", "-D", directory + "/data", "-l", directory + "/log", "-w", "-o",
            "-p \(port) -k \(directory)/run -c listen_addresses=''", "start",
        ])
    }

    func stop() async throws {
        try await runAsClusterUser(["pg_ctl", "-D", directory + "/data", "-m", "fast", "-w", "stop"])
    }

    func destroy() async throws {
        _ = try? await runAsClusterUser(["pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a PostgreSQL tool as the cluster user, waiting on a thread of its own: initdb and pg_ctl take seconds, and
    /// must not hold one of the few threads every other test's tasks run on.
    private func runAsClusterUser(_ arguments: [String]) async throws {
        var command = arguments
        command[0] = binDirectory + "/" + command[0]
        let full = runAs + command
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { continuation.resume(with: Result { try Self.run(full) }) }
        }
    }

    /// Runs a command and waits for it. Not Foundation's Process: the server that pg_ctl starts inherits its
    /// descriptors and keeps Process from ever noticing that pg_ctl exited.
    private static func run(_ command: [String]) throws {
        let path = command[0].hasPrefix("/") ? command[0] : "/usr/sbin/" + command[0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = ([path] + command.dropFirst()).map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, arguments, environ)
        guard spawned == 0 else { throw TestSetupError("cannot start \(path): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw TestSetupError("\(command.joined(separator: " ")) failed with status \(status)")
        }
    }
}
