import Foundation

/// A bounded reader of ZIP archives (PKWARE APPNOTE; stored and deflated entries, ZIP64 sizes and offsets).
///
/// It reads the central directory only after checking the entry count against the limits, refuses an archive with
/// an entry name that is absolute or climbs out (`..`) — nothing is ever written to disk, but such a name marks a
/// hostile archive — and expands an entry only on request, within the ratio and byte limits, checking its CRC-32.
struct ZipArchive {
    struct Entry: Sendable {
        let path: String
        let method: UInt16
        let flags: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
        var isDirectory: Bool { path.hasSuffix("/") }
    }

    let data: Data
    let entries: [Entry]
    private let limits: ImportLimits
    /// Bytes expanded so far, held to ``ImportLimits/maximumArchiveExpandedBytes``.
    private(set) var expandedBytes = 0

    init(_ data: Data, limits: ImportLimits) throws(ImportIssue) {
        self.data = data
        self.limits = limits
        let directory = try Self.centralDirectory(data, limits: limits)
        var entries: [Entry] = []
        entries.reserveCapacity(directory.count)
        var offset = directory.offset
        let end = directory.offset + directory.size
        for _ in 0..<directory.count {
            guard offset + 46 <= end, Self.u32(data, offset) == 0x0201_4B50 else {
                throw ImportIssue(.corrupt, "The ZIP central directory is damaged.")
            }
            let flags = Self.u16(data, offset + 8)
            let method = Self.u16(data, offset + 10)
            let crc = Self.u32(data, offset + 16)
            var compressed = Int(Self.u32(data, offset + 20))
            var uncompressed = Int(Self.u32(data, offset + 24))
            let nameLength = Int(Self.u16(data, offset + 28))
            let extraLength = Int(Self.u16(data, offset + 30))
            let commentLength = Int(Self.u16(data, offset + 32))
            var localOffset = Int(Self.u32(data, offset + 42))
            let nameStart = offset + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= end else { throw ImportIssue(.corrupt, "The ZIP central directory is damaged.") }
            let nameBytes = data[(data.startIndex + nameStart)..<(data.startIndex + extraStart)]
            let path = String(decoding: nameBytes, as: UTF8.self)
            guard Self.isSafe(path), !nameBytes.contains(0) else {
                throw ImportIssue(.unsafePath, "The ZIP lists an entry whose name is absolute or climbs out of the archive.")
            }
            // ZIP64: the extra field 0x0001 carries, in order, each of the sizes and the offset that are 0xFFFFFFFF.
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                var extra = extraStart
                while extra + 4 <= extraStart + extraLength {
                    let tag = Self.u16(data, extra)
                    let size = Int(Self.u16(data, extra + 2))
                    if tag == 0x0001 {
                        var field = extra + 4
                        let fieldEnd = min(field + size, extraStart + extraLength)
                        func next64() -> Int? {
                            guard field + 8 <= fieldEnd else { return nil }
                            defer { field += 8 }
                            return Int(exactly: Self.u64(data, field))
                        }
                        if uncompressed == 0xFFFF_FFFF { uncompressed = next64() ?? -1 }
                        if compressed == 0xFFFF_FFFF { compressed = next64() ?? -1 }
                        if localOffset == 0xFFFF_FFFF { localOffset = next64() ?? -1 }
                    }
                    extra += 4 + size
                }
                guard compressed >= 0, uncompressed >= 0, localOffset >= 0 else {
                    throw ImportIssue(.corrupt, "A ZIP64 entry lacks its sizes.")
                }
            }
            entries.append(
                Entry(
                    path: path, method: method, flags: flags, crc32: crc, compressedSize: compressed,
                    uncompressedSize: uncompressed, localHeaderOffset: localOffset))
            offset = next
        }
        self.entries = entries
    }

    /// The expanded bytes of an entry, at most `limit`; checked against its CRC-32, the ratio and the archive's
    /// expansion budget.
    mutating func contents(of entry: Entry, limit: Int) throws(ImportIssue) -> Data {
        let what = "The archive entry \(entry.path)"
        guard entry.flags & 0x0001 == 0 else { throw ImportIssue(.unsupportedFormat, "\(what) is encrypted.") }
        guard entry.uncompressedSize <= limit else { throw ImportIssue(.tooLarge, "\(what) is larger than \(limit) bytes.") }
        let budget = limits.maximumArchiveExpandedBytes - expandedBytes
        guard entry.uncompressedSize <= budget else {
            throw ImportIssue(.archiveBomb, "The archive expands beyond \(limits.maximumArchiveExpandedBytes) bytes in all.")
        }
        let header = entry.localHeaderOffset
        guard header >= 0, header <= data.count - 30, Self.u32(data, header) == 0x0403_4B50 else {
            throw ImportIssue(.corrupt, "\(what) has no local header where the directory says.")
        }
        let start = header + 30 + Int(Self.u16(data, header + 26)) + Int(Self.u16(data, header + 28))
        guard start <= data.count, entry.compressedSize <= data.count - start else {
            throw ImportIssue(.truncated, "\(what) runs past the end of the archive.")
        }
        let compressed = data[(data.startIndex + start)..<(data.startIndex + start + entry.compressedSize)]
        let contents: Data
        let crc: UInt32
        switch entry.method {
        case 0:
            contents = Data(compressed)
            crc = Inflate.crc32(contents)
        case 8:
            let cap = limits.expansionCap(compressedBytes: entry.compressedSize, upTo: min(limit, budget))
            (contents, crc) = try Inflate.expand(Data(compressed), limit: cap, what: what)
        default:
            throw ImportIssue(.unsupportedFormat, "\(what) uses compression method \(entry.method); only stored and deflate are read.")
        }
        guard contents.count == entry.uncompressedSize, crc == entry.crc32 else {
            throw ImportIssue(.corrupt, "\(what) does not match its size or CRC-32.")
        }
        expandedBytes += contents.count
        return contents
    }

    /// What may still be expanded from this archive.
    var remainingBudget: Int { limits.maximumArchiveExpandedBytes - expandedBytes }

    /// Counts bytes expanded from an entry's contents (a gzip layer) against the budget.
    mutating func charge(_ bytes: Int) throws(ImportIssue) {
        guard bytes <= remainingBudget else {
            throw ImportIssue(.archiveBomb, "The archive expands beyond \(limits.maximumArchiveExpandedBytes) bytes in all.")
        }
        expandedBytes += bytes
    }

    /// Whether a name stays inside the archive: relative, no `..` component, no drive letter, either separator.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("\\") else { return false }
        let components = path.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        if let first = components.first, first.count == 2, first.last == ":" { return false }
        return !components.contains("..")
    }

    private struct Directory {
        let count: Int
        let offset: Int
        let size: Int
    }

    private static func centralDirectory(_ data: Data, limits: ImportLimits) throws(ImportIssue) -> Directory {
        guard data.count >= 22 else { throw ImportIssue(.truncated, "The ZIP is shorter than its end record.") }
        // The end record is the last 22 bytes plus a comment of up to 65 535 bytes.
        var position = data.count - 22
        let lowest = max(0, data.count - 22 - 65_535)
        while position >= lowest && u32(data, position) != 0x0605_4B50 { position -= 1 }
        guard position >= lowest else { throw ImportIssue(.corrupt, "The file has no ZIP end record.") }
        var count = Int(u16(data, position + 10))
        var size = Int(u32(data, position + 12))
        var offset = Int(u32(data, position + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            let locator = position - 20
            guard locator >= 0, u32(data, locator) == 0x0706_4B50 else {
                throw ImportIssue(.corrupt, "The ZIP64 end record locator is missing.")
            }
            guard let record = Int(exactly: u64(data, locator + 8)), record >= 0, record <= data.count - 56,
                u32(data, record) == 0x0606_4B50,
                let total = Int(exactly: u64(data, record + 32)), let directorySize = Int(exactly: u64(data, record + 40)),
                let directoryOffset = Int(exactly: u64(data, record + 48))
            else { throw ImportIssue(.corrupt, "The ZIP64 end record is damaged.") }
            (count, size, offset) = (total, directorySize, directoryOffset)
        }
        guard count <= limits.maximumArchiveEntries else {
            throw ImportIssue(.archiveBomb, "The ZIP lists \(count) entries; at most \(limits.maximumArchiveEntries) are read.")
        }
        guard offset >= 0, size >= 0, offset <= data.count, size <= data.count - offset else {
            throw ImportIssue(.truncated, "The ZIP central directory lies past the end of the file.")
        }
        return Directory(count: count, offset: offset, size: size)
    }

    private static func u16(_ data: Data, _ offset: Int) -> UInt16 {
        let i = data.startIndex + offset
        return UInt16(data[i]) | UInt16(data[i + 1]) << 8
    }

    private static func u32(_ data: Data, _ offset: Int) -> UInt32 {
        UInt32(u16(data, offset)) | UInt32(u16(data, offset + 2)) << 16
    }

    private static func u64(_ data: Data, _ offset: Int) -> UInt64 {
        UInt64(u32(data, offset)) | UInt64(u32(data, offset + 4)) << 32
    }
}

extension ZipArchive {
    /// Whether the bytes start like a ZIP (a local header, or the end record of an empty archive).
    static func looksLikeZip(_ data: Data) -> Bool {
        data.count >= 4 && data[data.startIndex] == 0x50 && data[data.startIndex + 1] == 0x4B
            && (data[data.startIndex + 2] == 3 || data[data.startIndex + 2] == 5)
    }
}
