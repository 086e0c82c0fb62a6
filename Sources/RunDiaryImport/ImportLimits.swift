/// The sizes an import accepts, so a hostile or broken file costs bounded memory and time.
///
/// The defaults suit a phone or a server: a day-long FIT recording is a few megabytes, a TCX of it a few tens, and a
/// Strava export of many years a few gigabytes, most of it photos that are never read.
public struct ImportLimits: Sendable, Hashable {
    /// Largest activity file (FIT, TCX or GPX), after any decompression: 64 MiB.
    public var maximumActivityFileBytes: Int = 64 << 20
    /// Largest ZIP archive: 4 GiB (a server accepts less; see its upload limit).
    public var maximumArchiveBytes: Int = 4 << 30
    /// Most entries a ZIP may list: 100 000.
    public var maximumArchiveEntries: Int = 100_000
    /// Most bytes read out of one archive in all, counting gzip layers inside it: 2 GiB.
    public var maximumArchiveExpandedBytes: Int = 2 << 30
    /// Highest ratio of expanded to compressed size of one ZIP entry or gzip stream (real activity files compress
    /// 3–30 times; a deflate bomb reaches 1000): 200.
    public var maximumCompressionRatio: Int = 200
    /// Entries and streams smaller than this many expanded bytes are not held to the ratio: 1 MiB.
    public var compressionRatioFloorBytes: Int = 1 << 20
    /// Largest activities.csv: 64 MiB.
    public var maximumCSVBytes: Int = 64 << 20

    public init() {}

    /// The most bytes a compressed stream of `compressedBytes` may expand to: the ratio limit (at least the floor),
    /// and never more than `cap`.
    func expansionCap(compressedBytes: Int, upTo cap: Int) -> Int {
        let (byRatio, overflow) = compressedBytes.multipliedReportingOverflow(by: maximumCompressionRatio)
        return min(cap, max(compressionRatioFloorBytes, overflow ? Int.max : byRatio))
    }

    /// The defaults above.
    public static let standard = ImportLimits()
}
