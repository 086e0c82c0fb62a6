import Foundation
import RunDiaryModels
import RunDiaryStore

/// Writes a pull page as the wire `PullResponse` JSON.
///
/// The page is the hottest response the server sends (a new phone pulls a runner's whole history), so it skips
/// `Codable`: the changes are the JSON each record's push stored (``SyncStore/PullPage/changesJSON``), copied as they
/// are into the envelope.
enum PullResponseBody {
    static func encode(_ page: SyncStore.PullPage, serverHLC: HLC) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + page.changesJSON.count)
        bytes.append(contentsOf: #"{"changes":["#.utf8)
        bytes.append(contentsOf: page.changesJSON)
        bytes.append(contentsOf: #"],"cursor":"#.utf8)
        JSONValue.appendString(page.cursor.text, to: &bytes)
        bytes.append(contentsOf: (page.hasMore ? #","has_more":true,"server_hlc":"# : #","has_more":false,"server_hlc":"#).utf8)
        JSONValue.appendString(serverHLC.description, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
