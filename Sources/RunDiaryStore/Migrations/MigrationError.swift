/// Why migrations could not be read or applied.
package enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    case directoryNotFound
    case directoryUnreadable(String)
    case noMigrations(String)
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    /// An applied migration's file was edited afterwards.
    case checksumMismatch(version: Int, name: String)
    /// The database has a migration this build does not know: it was migrated by a newer version.
    case unknownApplied(version: Int, name: String)
    /// `serve` found migrations not yet applied.
    case pending([Int])

    package var description: String {
        switch self {
        case .directoryNotFound:
            "no Migrations folder found; pass --migrations or set RUNDIARY_MIGRATIONS"
        case .directoryUnreadable(let path):
            "cannot read the migrations folder \(path)"
        case .noMigrations(let path):
            "no NNNN_name.sql files in \(path)"
        case .badFileName(let file):
            "migration file \(file) is not named NNNN_name.sql"
        case .duplicateVersion(let version, let first, let second):
            "two migrations share version \(version): \(first) and \(second)"
        case .checksumMismatch(let version, let name):
            "migration \(version) (\(name)) was changed after it was applied; restore the file or write a new migration"
        case .unknownApplied(let version, let name):
            "the database has migration \(version) (\(name)), which this build does not know; run a newer rundiary"
        case .pending(let versions):
            "the database has pending migrations (\(versions.map(String.init).joined(separator: ", "))); "
                + "run `rundiary migrate` or start with --migrate"
        }
    }
}
