import Foundation
import RunDiaryTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A `rundiary serve` process of the real executable on a port of its own, and plain HTTP/1.1 to it.
final class ServeProcess: Sendable {
    let port: Int
    /// Foundation's Process is Sendable; only its pid, running state and exit status are read from other tasks.
    private let process: Process
    /// Where the server's stderr (its log) goes, so that a test can show it when the server did not behave.
    private let errorFile: URL

    /// Starts `rundiary serve --port <port> arguments…` against `databaseURL` and returns once it listens. Without a
    /// `port` the server binds port 0 and the kernel picks one; the port is read from the server's own log ("Server
    /// started and listening on 127.0.0.1:<port>"). A port chosen here beforehand could be taken by another process
    /// (another test's server, a connection's local port) before the server binds it; the server would then exit,
    /// and a test would poll that other process. `executable` is the build's by default, with the repository's
    /// migrations, else (a packaged binary) it finds its own.
    static func start(
        databaseURL: String, arguments: [String] = [], environment: [String: String] = [:], port: Int? = nil,
        executable: URL? = nil, timeout: Duration = .seconds(60)
    ) async throws -> ServeProcess {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rundiary-serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = executable ?? Rundiary.executable
        process.arguments = ["serve", "--port", "\(port ?? 0)", "--bcrypt-cost", "10"] + arguments
        var inherited = ProcessInfo.processInfo.environment
        inherited["RUNDIARY_MIGRATIONS"] =
            executable == nil ? Rundiary.repositoryRoot.appendingPathComponent("Migrations").path : nil
        // Four database connections per process (a flag in `arguments` overrides it): the suites run side by side
        // with many servers on one test cluster, whose max_connections all of them share.
        inherited["RUNDIARY_DB_POOL_SIZE"] = "4"
        process.environment = inherited.merging(["DATABASE_URL": databaseURL].merging(environment) { $1 }) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        // The metrics endpoint, when asked for, is a second server in the process that logs the same line.
        let metricsPort = arguments.firstIndex(of: "--metrics-port").flatMap { index in
            arguments.indices.contains(index + 1) ? Int(arguments[index + 1]) : nil
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let log = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            let ports = listeningPorts(log)
            // With a metrics port, both listen before the server counts as started: a metrics port another process
            // took ends the server, and the caller can try another.
            if let listening = ports.first(where: { $0 != metricsPort && (port == nil || $0 == port) }),
                metricsPort.map(ports.contains) ?? true
            {
                return ServeProcess(process: process, errorFile: errorFile, port: listening)
            }
            guard process.isRunning else {
                try? FileManager.default.removeItem(at: errorFile)
                throw TestSetupError("rundiary serve exited with status \(process.terminationStatus) before it listened:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGKILL)
        let log = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errorFile)
        throw TestSetupError("rundiary serve did not listen within \(timeout):\n\(log)")
    }

    private init(process: Process, errorFile: URL, port: Int) {
        self.process = process
        self.errorFile = errorFile
        self.port = port
    }

    /// What the server has logged so far.
    func log() -> String {
        (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }

    /// The ports a server's log says it listens on, in order.
    private static func listeningPorts(_ log: String) -> [Int] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "Server started and listening on ") else { return nil }
            return line[range.upperBound...].split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: errorFile)
    }

    /// The last lines the server wrote to stderr (its log), for a failing expectation's message.
    var errorOutput: String {
        let text = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
    }

    var isRunning: Bool { process.isRunning }
    var processIdentifier: Int32 { process.processIdentifier }
    var terminationStatus: Int32 { process.terminationStatus }

    /// Sends a whole request on a new connection and returns everything read until the server closes it ("" when
    /// nothing listens).
    func request(_ text: String, timeout: Duration = .seconds(10)) async -> String {
        guard let connection = try? RawConnection(port: port) else { return "" }
        return (try? await connection.exchange(text, timeout: timeout)) ?? ""
    }

    func get(_ path: String) async -> String {
        await request("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    }

    func post(_ path: String, json: String) async -> String {
        await request(
            "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n"
                + "Connection: close\r\n\r\n\(json)")
    }

    /// Polls `path` every 100 ms until its answer starts with `prefix`, the process has exited or `timeout` passes;
    /// returns the last answer.
    func wait(for prefix: String, at path: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var reply = ""
        while ContinuousClock.now < deadline, process.isRunning {
            reply = await get(path)
            if reply.hasPrefix(prefix) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return reply
    }

    /// Waits up to `timeout` for the process to exit; true when it has.
    func waitForExit(timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return !process.isRunning
    }

    /// SIGTERM, then SIGKILL if it is still running after a few seconds.
    func stop() async throws {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        if try await !waitForExit(timeout: .seconds(5)) { kill(process.processIdentifier, SIGKILL) }
        _ = try await waitForExit()
    }
}
