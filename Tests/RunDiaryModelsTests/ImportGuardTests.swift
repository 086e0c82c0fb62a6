import Foundation
import Testing

/// RunDiaryModels ships in the server and in apps: it may import Foundation (or FoundationEssentials) only.
@Suite("Library imports")
struct ImportGuardTests {
    static let allowed: Set<String> = ["import Foundation", "import FoundationEssentials"]

    static var sourcesFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/RunDiaryModels").resolvingSymlinksInPath()
    }

    /// Import declarations of every Swift file under the folder, as (relative path, line).
    static func imports(under folder: URL) throws -> [(String, String)] {
        let enumerator = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        var found: [(String, String)] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                let words = trimmed.split(separator: " ")
                let attributes = words.prefix { $0.hasPrefix("@") }
                if words.dropFirst(attributes.count).first == "import" || trimmed.hasPrefix("import ") {
                    found.append((url.lastPathComponent, trimmed))
                }
            }
        }
        return found
    }

    @Test("the library imports nothing but Foundation")
    func foundationOnly() throws {
        let imports = try Self.imports(under: Self.sourcesFolder)
        #expect(imports.count > 10, "sources not found at \(Self.sourcesFolder.path)")
        for (file, line) in imports {
            #expect(Self.allowed.contains(line), "\(file): \(line)")
        }
    }

    @Test("the scan catches other imports, including attributed ones")
    func scanDetects() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import-guard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = "import Foundation\n@preconcurrency import NIOCore\n  import Glibc\nlet important = 1\n"
        try source.write(to: folder.appendingPathComponent("A.swift"), atomically: true, encoding: .utf8)
        let lines = try Self.imports(under: folder).map(\.1)
        #expect(lines == ["import Foundation", "@preconcurrency import NIOCore", "import Glibc"])
        #expect(lines.filter { !Self.allowed.contains($0) }.count == 2)
    }
}
