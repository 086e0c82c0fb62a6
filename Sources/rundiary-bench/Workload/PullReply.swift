import NIOCore

/// The two things a paging client needs from a pull body, found without decoding the changes (decoding would spend
/// the bench's share of the CPU; bodies are decoded and counted after the clock stops where it matters).
struct PullReply: Sendable {
    let cursor: String
    let hasMore: Bool

    private static let cursorKey = Array(#""cursor":""#.utf8)
    private static let moreKey = Array(#""has_more":true"#.utf8)
    private static let lastKey = Array(#""has_more":false"#.utf8)

    /// Reads the body's bytes in place. The keys are searched from the end (the server writes them after the
    /// changes), then, should the encoder's key order ever differ, through the whole body.
    init?(_ body: ByteBuffer) {
        guard let reply = body.withUnsafeReadableBytes({ Self.parse($0.bindMemory(to: UInt8.self)) })
        else { return nil }
        self = reply
    }

    private init(cursor: String, hasMore: Bool) {
        self.cursor = cursor
        self.hasMore = hasMore
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> PullReply? {
        let tail = max(0, bytes.count - 512)
        for start in [tail, 0] {
            let region = UnsafeBufferPointer(rebasing: bytes[start...])
            guard let key = lastIndex(of: cursorKey, in: region) else { continue }
            let valueStart = key + cursorKey.count
            guard let end = region[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { continue }
            let more = lastIndex(of: moreKey, in: region) != nil
            guard more || lastIndex(of: lastKey, in: region) != nil else { continue }
            return PullReply(cursor: String(decoding: region[valueStart..<end], as: UTF8.self), hasMore: more)
        }
        return nil
    }

    /// Where the last occurrence of `needle` starts in `haystack`.
    private static func lastIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var start = haystack.count - needle.count
        while start >= 0 {
            if haystack[start] == needle[0], needle.indices.allSatisfy({ haystack[start + $0] == needle[$0] }) {
                return start
            }
            start -= 1
        }
        return nil
    }
}
