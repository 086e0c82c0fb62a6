import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The built `rundiary serve` executable running as a process of its own on a loopback port, which tests can stop
/// gracefully, kill with SIGKILL and start again on the same port.
// @unchecked Sendable: `process` is only touched under `lock`.
public final class ServerProcess: @unchecked Sendable {
    public let port: Int
    public let databaseURL: String
    public let arguments: [String]
    private let logURL: URL
    private let lock = NSLock()
    private var process: Process?

    /// `http://127.0.0.1:<port>`.
    public var baseURL: URL {
        URL(string: "http://127.0.0.1:\(port)")!
    }

    /// The executable: `$RUNDIARY_BIN`, else the `rundiary` of the build that made the running program.
    public static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["RUNDIARY_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return Subprocess.product("rundiary")
    }

    private init(port: Int, databaseURL: String, arguments: [String]) {
        self.port = port
        self.databaseURL = databaseURL
        self.arguments = arguments
        self.logURL = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-serve-\(UUID().uuidString).log")
    }

    /// Starts `rundiary serve --migrate` on a free port with `arguments` added, and waits until `/ready` answers 200
    /// (the server runs before its database is reachable and answers 503 until it is).
    public static func start(databaseURL: String, arguments: [String] = []) async throws -> ServerProcess {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSetupError("\(executable.path) is missing; the test build makes it (its test target depends on it)")
        }
        var lastError: any Error = TestSetupError("no port tried")
        for _ in 0..<8 {
            let server = ServerProcess(port: Int.random(in: 56_000...59_999), databaseURL: databaseURL, arguments: arguments)
            do {
                try await server.launch()
                return server
            } catch let exited as Exited {
                // Most likely the random port was taken: another one is tried.
                await server.stop()
                lastError = exited
            } catch {
                // Not ready in time, or cancelled: another port would not help.
                await server.stop()
                throw error
            }
        }
        throw lastError
    }

    /// The process ended before it was ready.
    struct Exited: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts the process again on the same port (after ``kill()`` or ``stop()``).
    public func launch() async throws {
        let process = Process()
        process.executableURL = Self.executable
        // Four database connections: the tests' traffic needs no more, and the suite's cluster is shared by every
        // test running at once (its connection limit is the suite's, not one server's).
        let poolSize = arguments.contains("--pool-size") ? [] : ["--pool-size", "4"]
        process.arguments =
            ["serve", "--migrate", "--host", "127.0.0.1", "--port", String(port), "--bcrypt-cost", "10"] + poolSize + arguments
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            key != "DATABASE_URL" && (!key.hasPrefix("RUNDIARY_") || key == "RUNDIARY_MIGRATIONS")
        }
        environment["DATABASE_URL"] = databaseURL
        environment["RUNDIARY_MIGRATIONS"] = environment["RUNDIARY_MIGRATIONS"] ?? TestDatabase.migrationsDirectory.path
        environment["RUNDIARY_LOG_LEVEL"] = "warning"
        process.environment = environment
        if !FileManager.default.fileExists(atPath: logURL.path) { try Data().write(to: logURL) }
        let log = try FileHandle(forWritingTo: logURL)
        try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        lock.withLock { self.process = process }

        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw Exited(description: "rundiary serve exited with \(process.terminationStatus): \(recentLog())")
            }
            if await isReady() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("rundiary serve was not ready within 90 s: \(recentLog())")
    }

    /// SIGKILL: the server dies at once, in the middle of whatever it was doing.
    public func kill() async {
        await end(signal: SIGKILL)
    }

    /// SIGTERM, and waits for the process to exit.
    public func stop() async {
        await end(signal: SIGTERM)
        try? FileManager.default.removeItem(at: logURL)
    }

    /// Sends `signal` and waits for the exit; a process still running 30 s later (a shutdown that hangs) is killed,
    /// so that a test never waits forever on it.
    private func end(signal: Int32) async {
        guard let process = lock.withLock({ self.process }) else { return }
        if process.isRunning { Glibc.kill(process.processIdentifier, signal) }
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline {
            do { try await Task.sleep(for: .milliseconds(20)) } catch { break }
        }
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            // SIGKILL ends it at once: wait without holding a thread of the cooperative pool, and never forever (were
            // the exit not noticed, the test must still end).
            let killDeadline = ContinuousClock.now + .seconds(30)
            while process.isRunning, ContinuousClock.now < killDeadline {
                do { try await Task.sleep(for: .milliseconds(20)) } catch { break }
            }
        }
        lock.withLock { self.process = nil }
    }

    private func isReady() async -> Bool {
        var request = URLRequest(url: baseURL.appendingPathComponent("ready"))
        request.timeoutInterval = 2
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// The end of the server's output, for a failure message.
    public func recentLog() -> String {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}
