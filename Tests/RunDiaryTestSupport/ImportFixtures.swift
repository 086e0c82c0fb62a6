import Foundation
import RunDiaryImport
import RunDiaryModels

/// The fixtures made by independent tools at test time (Fixtures/make_fixtures.py), and what independent readers
/// read from them (Fixtures/read_fixtures.py), in Tests/RunDiaryImportTests; made once per test process in a temporary
/// folder.
public struct ImportFixtures: Sendable {
    /// The folder holding the generated files.
    public let folder: URL
    /// Per result name: the expected status, id, fields and gear, as the readers printed them.
    public let expected: [String: JSONValue]

    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RunDiaryImportTests/Fixtures")

    /// Made on first use, once; every test shares them (they are only read).
    public static func get() async throws -> ImportFixtures {
        try await cache.value()
    }

    private static let cache = Cache()

    /// Runs the scripts once, on a thread of its own: waiting for Python must not hold a thread of Swift's small
    /// cooperative pool, which the live test servers need.
    private actor Cache {
        private var made: Task<ImportFixtures, any Error>?

        func value() async throws -> ImportFixtures {
            if let made { return try await made.value }
            let task = Task<ImportFixtures, any Error> { try await OwnThread.run { try ImportFixtures.make() } }
            made = task
            return try await task.value
        }
    }

    private static func make() throws -> ImportFixtures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-import-\(UUID().uuidString)")
        let written = try TestPython.runBlocking([scripts.appendingPathComponent("make_fixtures.py").path, folder.path])
        guard written.status == 0 else { throw TestSetupError("make_fixtures.py failed: \(written.errors.suffix(3000))") }
        let read = try TestPython.runBlocking([scripts.appendingPathComponent("read_fixtures.py").path, folder.path])
        guard read.status == 0 else { throw TestSetupError("read_fixtures.py failed: \(read.errors.suffix(3000))") }
        guard case .object(let expected) = try JSONDecoder().decode(JSONValue.self, from: read.output) else {
            throw TestSetupError("read_fixtures.py printed no JSON object")
        }
        return ImportFixtures(folder: folder, expected: expected)
    }

    public func data(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    public func source(_ name: String) throws -> ImportSource {
        ImportSource(name: name, data: try data(name))
    }
}
