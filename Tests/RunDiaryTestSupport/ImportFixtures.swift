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

    /// Made on first use; every test shares them (they are only read).
    static let shared: Result<ImportFixtures, any Error> = Result { try make() }

    public static func get() throws -> ImportFixtures {
        try shared.get()
    }

    private static func make() throws -> ImportFixtures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-import-\(UUID().uuidString)")
        let written = try TestPython.run([scripts.appendingPathComponent("make_fixtures.py").path, folder.path])
        guard written.status == 0 else { throw TestSetupError("make_fixtures.py failed: \(written.errors.suffix(3000))") }
        let read = try TestPython.run([scripts.appendingPathComponent("read_fixtures.py").path, folder.path])
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
