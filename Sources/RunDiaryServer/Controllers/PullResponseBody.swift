import Foundation
import RunDiaryModels
import RunDiaryStore

/// Writes a pull page as the wire `PullResponse` JSON, byte by byte.
///
/// The page is the hottest response the server sends (a new phone pulls a runner's whole history), so it skips
/// `Codable`: field values are written with ``JSONValue/appendJSON(to:)`` and each record's clocks are copied as the
/// database stored them.
enum PullResponseBody {
    static func encode(_ page: SyncStore.PullPage, serverHLC: HLC) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + page.changes.count * 600)
        bytes.append(contentsOf: #"{"changes":["#.utf8)
        for (index, change) in page.changes.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: #"{"entity":"#.utf8)
            JSONValue.appendString(change.entity.rawValue, to: &bytes)
            bytes.append(contentsOf: #","id":""#.utf8)
            bytes.append(contentsOf: change.id.uuidString.lowercased().utf8)
            bytes.append(contentsOf: #"","version":"#.utf8)
            bytes.append(contentsOf: String(change.version).utf8)
            bytes.append(contentsOf: (change.deleted ? #","deleted":true,"fields":{"# : #","deleted":false,"fields":{"#).utf8)
            for (position, field) in change.fields.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.appendString(field.name, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                field.value.appendJSON(to: &bytes)
            }
            bytes.append(contentsOf: #"},"clocks":"#.utf8)
            bytes.append(contentsOf: change.clocksJSON.utf8)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(contentsOf: #"],"cursor":"#.utf8)
        JSONValue.appendString(page.cursor.text, to: &bytes)
        bytes.append(contentsOf: (page.hasMore ? #","has_more":true,"server_hlc":"# : #","has_more":false,"server_hlc":"#).utf8)
        JSONValue.appendString(serverHLC.description, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
