import Foundation

/// The Python of the virtualenv `deploy/dev test` makes from deploy/python-requirements.txt (`.data/venv`), which
/// holds the independent tools the tests check against (validators, fixture writers and readers).
public enum TestPython {
    /// `RUNDIARY_TEST_PYTHON`, as `deploy/dev test` exports it.
    public static var executable: URL {
        get throws { URL(fileURLWithPath: try TestDatabase.environment("RUNDIARY_TEST_PYTHON")) }
    }

    /// A process running the virtualenv's Python with `arguments`; the caller wires its pipes and runs it.
    private static func process(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        return process
    }

    /// Runs Python with `arguments` and returns its exit status, standard output and standard error; the wait happens
    /// on a thread of its own, never on one of Swift's cooperative threads (two on a two-core machine), which the live
    /// test servers need while a validator runs for seconds.
    public static func run(_ arguments: [String]) async throws -> (status: Int32, output: Data, errors: String) {
        try await OwnThread.run { try runBlocking(arguments) }
    }

    /// ``run(_:)`` on the calling thread, for callers that are on a thread of their own.
    public static func runBlocking(_ arguments: [String]) throws -> (status: Int32, output: Data, errors: String) {
        let process = try process(arguments)
        // Standard error goes to a file, so that neither of two pipes can fill while the other is drained.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-python-\(UUID().uuidString).err")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw TestSetupError("cannot create \(errorFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorHandle
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? Data(contentsOf: errorFile)) ?? Data()
        return (process.terminationStatus, data, String(decoding: errors, as: UTF8.self))
    }
}
