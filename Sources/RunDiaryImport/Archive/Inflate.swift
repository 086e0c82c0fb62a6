import Foundation
import ZIPFoundation

/// Raw deflate decompression (RFC 1951) with a hard cap on what it may produce.
enum Inflate {
    private static let chunkSize = 64 * 1024

    /// The expanded bytes of the deflate stream in `compressed`; throws ``ImportIssue/Code/archiveBomb`` as soon as
    /// the output would pass `limit` bytes, ``ImportIssue/Code/truncated`` if the stream ends early and
    /// ``ImportIssue/Code/corrupt`` if it is malformed. Returns the output and its CRC-32.
    static func expand(_ compressed: Data, limit: Int, what: String) throws(ImportIssue) -> (data: Data, crc32: UInt32) {
        var output = Data()
        var overflow = false
        var ranOut = false
        let total = Int64(compressed.count)
        do {
            let checksum = try Data.decompress(
                size: total, bufferSize: chunkSize, skipCRC32: false,
                provider: { position, size in
                    guard position < total else {
                        ranOut = true
                        throw ImportIssue(.truncated, "\(what) ends inside its compressed data.")
                    }
                    let start = compressed.startIndex + Int(position)
                    let end = min(compressed.endIndex, start + size)
                    // ZIPFoundation hands zlib a full chunk on Linux whatever the provider returns: always return a
                    // full one, padded with zeros, so zlib never reads past the buffer.
                    var chunk = Data(compressed[start..<end])
                    if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                    return chunk
                },
                consumer: { piece in
                    guard output.count + piece.count <= limit else {
                        overflow = true
                        throw ImportIssue(.archiveBomb, "\(what) expands beyond \(limit) bytes.")
                    }
                    output.append(piece)
                })
            return (output, checksum)
        } catch let issue as ImportIssue {
            throw issue
        } catch {
            if overflow { throw ImportIssue(.archiveBomb, "\(what) expands beyond \(limit) bytes.") }
            if ranOut { throw ImportIssue(.truncated, "\(what) ends inside its compressed data.") }
            throw ImportIssue(.corrupt, "\(what) holds damaged compressed data.")
        }
    }

    /// The CRC-32 (ISO 3309, as ZIP and gzip use) of `data`.
    static func crc32(_ data: Data) -> UInt32 {
        data.crc32(checksum: 0)
    }
}
