#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts child processes with posix_spawn and a clean signal state.
///
/// Foundation's Process hands its children the spawning thread's signal mask, and the Swift runtime's threads block
/// most signals: pgbench then never sees the SIGALRM that ends `-T`, and the server would not see SIGTERM. Here every
/// signal is unblocked and set back to its default action in the child.
enum Spawn {
    /// Starts `path` with `arguments` (argv[0] is added) and `environment`, stdin from /dev/null and stdout and
    /// stderr appended to `outputPath` and `errorPath`.
    static func start(
        _ path: String, _ arguments: [String], environment: [String: String], outputPath: String, errorPath: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw BenchError("posix_spawn \(path) failed: \(String(cString: strerror(result)))") }
        return pid
    }

    /// The exit status if `pid` has ended (reaping it), nil while it runs.
    static func exitStatus(of pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return result < 0 ? -1 : nil }
        if status & 0x7f == 0 { return (status >> 8) & 0xff }  // exited normally: WEXITSTATUS
        return 128 + (status & 0x7f)  // killed by a signal, shell-style
    }

    /// Waits for `pid` to end, polling every 10 ms so no thread blocks in waitpid; -1 if cancelled first.
    static func wait(for pid: pid_t) async -> Int32 {
        while true {
            if let status = exitStatus(of: pid) { return status }
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                return -1
            }
        }
    }
}
