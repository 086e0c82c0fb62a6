import Foundation
import NIOCore
import RunDiaryStore

/// What a live stream writes, in the `text/event-stream` format (Server-Sent Events): a block of `field: value` lines
/// ended by a blank line. Every event carries `data`, since browsers' EventSource drops events without it.
enum LiveEvent {
    /// The reconnection delay the client should use when the stream drops (`retry:`), sent first.
    static func retry(milliseconds: Int) -> ByteBuffer {
        ByteBuffer(string: "retry: \(milliseconds)\n\n")
    }

    /// `changed`: the account is at `version`. Its id is the cursor of that version in the database's sync `epoch`,
    /// so that a client reconnecting with `Last-Event-ID` says how far it was told.
    static func changed(version: Int64, epoch: UUID) -> ByteBuffer {
        ByteBuffer(
            string:
                "event: changed\nid: \(SyncCursor(epoch: epoch, version: version).text)\ndata: {\"version\":\(version)}\n\n")
    }

    /// A comment line, ignored by clients, that keeps proxies and mobile networks from closing a quiet stream.
    static let heartbeat = ByteBuffer(string: ": heartbeat\n\n")

    /// The last event of a stream that the server ends; nil when the client left.
    static func ending(_ ending: LiveSubscription.Ending) -> ByteBuffer? {
        switch ending {
        case .signedOut: ByteBuffer(string: "event: signed_out\ndata: {\"code\":\"unauthorized\"}\n\n")
        case .shutdown: ByteBuffer(string: "event: reconnect\ndata: {\"reason\":\"shutdown\"}\n\n")
        case .replaced: ByteBuffer(string: "event: closed\ndata: {\"reason\":\"too_many_streams\"}\n\n")
        case .disconnected: nil
        }
    }
}
