import Foundation
import NIOCore
import RunDiaryModels
import RunDiaryStore

/// Writes a pull page as the wire `PullResponse` JSON.
///
/// The page is the hottest response the server sends (a new phone pulls a runner's whole history), so it skips
/// `Codable`: the changes are the JSON each record's push stored (``SyncStore/PullPage/changesJSON``), copied as they
/// are into the envelope.
enum PullResponseBody {
    /// The page's response body, written once into the buffer that is sent (a page of 1,000 changes is ~600 KB).
    static func encode(_ page: SyncStore.PullPage, serverHLC: HLC) -> ByteBuffer {
        var tail: [UInt8] = []
        tail.append(contentsOf: #"],"cursor":"#.utf8)
        JSONValue.appendString(page.cursor.text, to: &tail)
        tail.append(contentsOf: (page.hasMore ? #","has_more":true,"server_hlc":"# : #","has_more":false,"server_hlc":"#).utf8)
        JSONValue.appendString(serverHLC.description, to: &tail)
        tail.append(UInt8(ascii: "}"))
        let head = #"{"changes":["#.utf8
        var buffer = ByteBufferAllocator().buffer(capacity: head.count + page.changesJSON.count + tail.count)
        buffer.writeBytes(head)
        buffer.writeBytes(page.changesJSON)
        buffer.writeBytes(tail)
        return buffer
    }
}
