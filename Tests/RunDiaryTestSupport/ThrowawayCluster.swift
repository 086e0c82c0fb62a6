import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL cluster in a temporary folder, run as the test command's unprivileged cluster user.
public struct ThrowawayCluster: Sendable {
    public let directory: String
    public let port: Int
    let binDirectory: String
    let runAs: [String]
    /// Server settings (`name=value`) given at every start.
    let settings: [String]

    /// The server's log.
    public var logPath: String { directory + "/log" }

    /// The cluster's `postgres` database, over its private socket.
    public var url: String {
        "postgresql:///postgres?host=\(directory)/run&port=\(port)&user=postgres"
    }

    /// Creates a cluster and starts it.
    public static func start(settings: [String] = []) async throws -> ThrowawayCluster {
        let cluster = try await create(settings: settings)
        try await cluster.start()
        return cluster
    }

    /// Creates a cluster (initdb) without starting it.
    public static func create(settings: [String] = []) async throws -> ThrowawayCluster {
        let binDirectory = try TestDatabase.environment("RUNDIARY_TEST_PG_BINDIR")
        let runAs = (ProcessInfo.processInfo.environment["RUNDIARY_TEST_RUNAS"] ?? "")
            .split(separator: " ").map(String.init)
        let user = try TestDatabase.environment("RUNDIARY_TEST_PG_USER")
        let directory = "/tmp/rundiary-restart-\(UUID().uuidString.prefix(8))"
        let cluster = ThrowawayCluster(
            directory: directory, port: Int.random(in: 40_000...49_000), binDirectory: binDirectory, runAs: runAs,
            settings: settings)
        try FileManager.default.createDirectory(atPath: directory + "/run", withIntermediateDirectories: true)
        if !runAs.isEmpty {
            try await runOffThePool(["/bin/chown", "-R", user, directory])
        }
        try await cluster.runAsClusterUser(["initdb", "-D", directory + "/data", "-U", "postgres", "-A", "trust", "--no-sync"])
        return cluster
    }

    public func start() async throws {
        try await runAsClusterUser([
            "pg_ctl", "-D", directory + "/data", "-l", directory + "/log", "-w", "-o",
            (["-p \(port) -k \(directory)/run -c listen_addresses=''"] + settings.map { "-c \($0)" }).joined(separator: " "), "start",
        ])
    }

    public func stop() async throws {
        try await runAsClusterUser(["pg_ctl", "-D", directory + "/data", "-m", "fast", "-w", "stop"])
    }

    public func destroy() async throws {
        _ = try? await runAsClusterUser(["pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try FileManager.default.removeItem(atPath: directory)
    }

    private func runAsClusterUser(_ arguments: [String]) async throws {
        var command = arguments
        command[0] = binDirectory + "/" + command[0]
        try await Self.runOffThePool(runAs + command)
    }

    /// initdb and pg_ctl take seconds: they are waited for on a thread of their own, never on one of the few threads
    /// that every other test's tasks (and live test servers) run on.
    private static func runOffThePool(_ command: [String]) async throws {
        try await OwnThread.run { try run(command) }
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
