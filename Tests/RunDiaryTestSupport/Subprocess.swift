import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program run to completion, with its output collected: the package's own executables (``product(_:)``) and the
/// tools the production tests drive (psql, openssl, dpkg-deb, lintian, systemd-analyze, the backup script).
public enum Subprocess {
    /// What a run printed and how it ended.
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        /// Throws unless the program exited 0, quoting what it printed.
        @discardableResult
        public func requireSuccess(_ what: String) throws -> Outcome {
            guard status == 0 else { throw TestSetupError("\(what) exited \(status): \(stderr) \(stdout)") }
            return self
        }

        /// stdout parsed as JSON.
        public func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        }

        /// stdout parsed as a JSON array of objects.
        public func jsonObjects() throws -> [[String: Any]] {
            guard let objects = try json() as? [[String: Any]] else { throw TestSetupError("stdout is not a JSON array") }
            return objects
        }

        /// stdout parsed as a JSON object.
        public func jsonObject() throws -> [String: Any] {
            guard let object = try json() as? [String: Any] else { throw TestSetupError("stdout is not a JSON object") }
            return object
        }
    }

    /// An executable of this package from the build that made the running program: beside it in the same build folder
    /// (debug or release, whatever `--scratch-path`), never a leftover of another build. Test targets that run one
    /// depend on it, so the test build makes it first.
    public static func product(_ name: String) -> URL {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = runner.resolvingSymlinksInPath().deletingLastPathComponent()
        // On macOS the test runner sits inside the .xctest bundle (Contents/MacOS).
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent(name)
    }

    /// Runs `executable arguments…` in a scratch folder with `environment`, `stdin` as its input; waits for it to exit.
    /// Runs one of this package's executables in a scratch folder with exactly `environment`, `stdin` as its input;
    /// waits for it to exit.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String], stdin: String = "") async throws
        -> Outcome
    {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSetupError("\(executable.path) is missing; the test build makes it (its test target depends on it)")
        }
        return try await launch(executable, arguments, environment: environment, stdin: stdin, directory: nil)
    }

    /// Runs `executable arguments…` (a path, or a name looked up in PATH) with `environment` added to this process's,
    /// `stdin` as its input, from `directory`; waits for it to exit.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
        stdin: String = "", directory: URL? = nil
    ) async throws -> Outcome {
        var childEnvironment = ProcessInfo.processInfo.environment.filter { key, _ in !removing.contains(key) }
        childEnvironment.merge(environment) { _, new in new }
        if executable.hasPrefix("/") {
            return try await launch(
                URL(fileURLWithPath: executable), arguments, environment: childEnvironment, stdin: stdin, directory: directory)
        }
        return try await launch(
            URL(fileURLWithPath: "/usr/bin/env"), [executable] + arguments, environment: childEnvironment, stdin: stdin,
            directory: directory)
    }

    /// Runs `executableURL arguments…` with exactly `environment`, `stdin` as its input, from `directory` (a scratch
    /// folder when nil); waits for it to exit.
    private static func launch(
        _ executableURL: URL, _ arguments: [String], environment: [String: String], stdin: String, directory: URL?
    ) async throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdoutURL = folder.appendingPathComponent("stdout")
        let stderrURL = folder.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        let input = Pipe()

        let process = Process()
        process.executableURL = executableURL
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory ?? folder
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        process.standardInput = input
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            // The child may exit without reading; SIGPIPE is ignored so that the write fails instead of the tests.
            signal(SIGPIPE, SIG_IGN)
            try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        try stdoutHandle.close()
        try stderrHandle.close()
        return Outcome(
            status: status,
            stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
            stderr: try String(contentsOf: stderrURL, encoding: .utf8))
    }

    /// A server on ports found free (``freePort()``): `start` is tried up to three times, because another process can
    /// take such a port before the server binds it. `start` finds its own ports, and throws a ``TestSetupError`` when
    /// its server did not start (it exited, or never listened there); if no try succeeds, all three failures are thrown as one.
    public static func onFreePorts<Server>(_ start: () async throws -> Server) async throws -> Server {
        var failures: [String] = []
        for _ in 0..<3 {
            do {
                return try await start()
            } catch let failure as TestSetupError {
                failures.append(failure.description)
            }
        }
        throw TestSetupError(failures.joined(separator: "\n--- tried again on other ports:\n"))
    }

    /// A free TCP port on 127.0.0.1 (bound and released: another process could take it first, so callers that start
    /// a server on it check that it started).
    public static func freePort() throws -> Int {
        let held = try HeldPort(listening: false)
        defer { held.close() }
        return held.port
    }
}

/// A TCP port on 127.0.0.1 the kernel picked, bound by this process until ``close()``; with `listening`, connections
/// to it queue and are never accepted (a port another process holds, for tests of what a server does then).
public final class HeldPort: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init(listening: Bool = true) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError("socket() failed") }
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, !listening || listen(descriptor, 1) == 0 else {
            _ = Glibc.close(descriptor)
            throw TestSetupError(listening ? "bind() or listen() failed" : "bind() failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    public func close() { _ = Glibc.close(descriptor) }
}
