/// Why a file was skipped or refused: a stable code clients act on, and an English message for people.
///
/// Messages describe the file's structure, never its health data.
public struct ImportIssue: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The stable, machine-readable reason; the raw value is the wire code.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        // Refused: the file cannot be read safely or correctly; nothing of it is imported.
        /// The name's extension is none of .fit, .tcx, .gpx, .zip (or those with .gz).
        public static let unsupportedFormat = Code(rawValue: "unsupported_format")
        /// Larger than a limit of ``ImportLimits``.
        public static let tooLarge = Code(rawValue: "too_large")
        /// Ends before its structure does (a FIT message or definition past the end, a cut-off gzip stream).
        public static let truncated = Code(rawValue: "truncated")
        /// Damaged: a checksum that does not match, a malformed header, XML that does not parse, an inconsistent ZIP.
        public static let corrupt = Code(rawValue: "corrupt")
        /// XML with a document type declaration (DTD) or entity declarations; refused so no entity is ever expanded.
        public static let unsafeXML = Code(rawValue: "unsafe_xml")
        /// A ZIP or gzip whose expansion exceeds the limits: too many entries, too many bytes, too high a ratio.
        public static let archiveBomb = Code(rawValue: "archive_bomb")
        /// A ZIP entry name that is absolute or climbs out of the archive (`..`).
        public static let unsafePath = Code(rawValue: "unsafe_path")
        /// A run without a usable start time or duration.
        public static let missingValues = Code(rawValue: "missing_values")
        /// A Strava export whose activities.csv is missing or lacks a needed column, or names a file it lacks.
        public static let invalidExport = Code(rawValue: "invalid_export")
        // Skipped: a readable file that holds no run.
        /// An activity of another sport (cycling, swimming, walking, …).
        public static let notARun = Code(rawValue: "not_a_run")
        /// A readable file with no activity in it (a FIT course or settings file, a GPX of waypoints only).
        public static let noActivity = Code(rawValue: "no_activity")

        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
