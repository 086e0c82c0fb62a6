import Foundation
import NIOCore

/// The two things a paging client needs from a pull body, found without decoding the changes (decoding would spend
/// the bench's share of the CPU; bodies are decoded and counted after the clock stops where it matters).
struct PullReply: Sendable {
    let cursor: String
    let hasMore: Bool

    init?(_ body: ByteBuffer) {
        // The encoder's key order varies: look at the tail first, and at the whole body when the keys are not there.
        let tail = body.getString(at: body.readerIndex + max(0, body.readableBytes - 512), length: min(512, body.readableBytes)) ?? ""
        if let reply = Self.parse(tail) {
            self = reply
        } else if let reply = Self.parse(String(buffer: body)) {
            self = reply
        } else {
            return nil
        }
    }

    private init(cursor: String, hasMore: Bool) {
        self.cursor = cursor
        self.hasMore = hasMore
    }

    private static func parse(_ text: String) -> PullReply? {
        guard let start = text.range(of: "\"cursor\":\""),
            let end = text[start.upperBound...].firstIndex(of: "\""),
            text.contains("\"has_more\":true") || text.contains("\"has_more\":false")
        else { return nil }
        return PullReply(cursor: String(text[start.upperBound..<end]), hasMore: text.contains("\"has_more\":true"))
    }
}
