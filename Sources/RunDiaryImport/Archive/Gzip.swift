import Foundation

/// A gzip member (RFC 1952), as Strava stores activity files inside its export (`123.fit.gz`).
enum Gzip {
    static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
    }

    /// The expanded bytes, at most `limit` and at most the ratio ``ImportLimits/maximumCompressionRatio`` allows;
    /// the trailer's CRC-32 and length must match.
    static func expand(_ data: Data, limits: ImportLimits, limit: Int) throws(ImportIssue) -> Data {
        let bytes = [UInt8](data.prefix(min(data.count, 64 * 1024)))
        guard bytes.count >= 18, bytes[0] == 0x1F, bytes[1] == 0x8B else {
            throw ImportIssue(.truncated, "The gzip stream is shorter than its header and trailer.")
        }
        guard bytes[2] == 8 else { throw ImportIssue(.corrupt, "The gzip stream uses compression method \(bytes[2]), not deflate.") }
        let flags = bytes[3]
        var offset = 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard offset + 2 <= bytes.count else { throw ImportIssue(.truncated, "The gzip header is cut off.") }
            offset += 2 + Int(bytes[offset]) + Int(bytes[offset + 1]) << 8
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            guard let zero = bytes[min(offset, bytes.count)...].firstIndex(of: 0) else {
                throw ImportIssue(.corrupt, "The gzip header's name or comment does not end.")
            }
            offset = zero + 1
        }
        if flags & 0x02 != 0 { offset += 2 }  // FHCRC
        guard offset + 8 <= data.count else { throw ImportIssue(.truncated, "The gzip stream is cut off.") }
        let body = data[(data.startIndex + offset)..<(data.endIndex - 8)]
        let trailer = [UInt8](data.suffix(8))
        let cap = limits.expansionCap(compressedBytes: data.count, upTo: limit)
        let (expanded, crc) = try Inflate.expand(Data(body), limit: cap, what: "The gzip stream")
        let expectedCRC = UInt32(trailer[0]) | UInt32(trailer[1]) << 8 | UInt32(trailer[2]) << 16 | UInt32(trailer[3]) << 24
        let expectedSize = UInt32(trailer[4]) | UInt32(trailer[5]) << 8 | UInt32(trailer[6]) << 16 | UInt32(trailer[7]) << 24
        guard crc == expectedCRC, UInt32(truncatingIfNeeded: expanded.count) == expectedSize else {
            throw ImportIssue(.corrupt, "The gzip stream's CRC or length does not match its contents.")
        }
        return expanded
    }
}
