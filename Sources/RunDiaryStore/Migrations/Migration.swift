import Crypto
import Foundation

/// One numbered SQL file from `Migrations/`, e.g. `0002_records.sql`.
///
/// Public, unlike the rest of the store (`package`): RunDiaryServer's public `buildApplication` takes migrations.
public struct Migration: Sendable, Hashable {
    package let version: Int
    package let name: String
    package let sql: String
    /// SHA-256 of the file's bytes, hex; an applied migration whose file changed is refused.
    package let checksum: String

    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `NNNN_name.sql` in `directory`, in version order.
    package static func load(from directory: URL) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError.directoryUnreadable(directory.path)
        }
        var migrations: [Migration] = []
        for file in names where file.hasSuffix(".sql") {
            let stem = String(file.dropLast(4))
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0 else {
                throw MigrationError.badFileName(file)
            }
            if let existing = migrations.first(where: { $0.version == version }) {
                throw MigrationError.duplicateVersion(version, existing.name, String(parts[1]))
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(parts[1]), sql: sql))
        }
        guard !migrations.isEmpty else { throw MigrationError.noMigrations(directory.path) }
        return migrations.sorted { $0.version < $1.version }
    }

    /// Finds the `Migrations/` folder: `explicit` (a flag or `RUNDIARY_MIGRATIONS`), else the package's copy beside an
    /// installed executable (`<prefix>/bin/rundiary` → `<prefix>/share/rundiary/migrations`, wherever the package was
    /// unpacked), else the nearest `Migrations/` at or above the working directory or the executable, else
    /// `/usr/share/rundiary/migrations`.
    package static func locateDirectory(explicit: String?) throws -> URL {
        if let explicit, !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let installed = executable.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("share/rundiary/migrations", isDirectory: true)
            if isMigrationsFolder(installed) { return installed }
            starts.append(executable.deletingLastPathComponent())
        }
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("Migrations", isDirectory: true)
                if isMigrationsFolder(candidate) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        let installed = URL(fileURLWithPath: "/usr/share/rundiary/migrations", isDirectory: true)
        if isMigrationsFolder(installed) { return installed }
        throw MigrationError.directoryNotFound
    }

    private static func isMigrationsFolder(_ url: URL) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.contains { $0.hasPrefix("0001_") && $0.hasSuffix(".sql") }
    }
}
