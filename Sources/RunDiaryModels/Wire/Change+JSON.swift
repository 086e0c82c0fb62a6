import Foundation

extension RecordState {
    /// Appends the record as a pull sends it: the wire form of ``Change/init(_:)``, compact JSON, the keys of
    /// `fields` and `clocks` in sorted order.
    ///
    /// The server writes this once, when a push stores the record, and a pull passes the stored bytes through; so it
    /// is the one writer of a change's JSON, and `Change`'s `Decodable` reads it back to ``Change/init(_:)``.
    public func appendChangeJSON(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: #"{"entity":"#.utf8)
        JSONValue.appendString(entity.rawValue, to: &bytes)
        bytes.append(contentsOf: #","id":""#.utf8)
        bytes.append(contentsOf: id.uuidString.lowercased().utf8)
        bytes.append(contentsOf: #"","version":"#.utf8)
        bytes.append(contentsOf: String(version).utf8)
        bytes.append(contentsOf: (isDeleted ? #","deleted":true,"fields":{"# : #","deleted":false,"fields":{"#).utf8)
        for (index, name) in fields.keys.sorted().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.appendString(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            fields[name]!.appendJSON(to: &bytes)
        }
        bytes.append(contentsOf: #"},"clocks":{"#.utf8)
        for (index, name) in clocks.keys.sorted().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.appendString(name, to: &bytes)
            bytes.append(contentsOf: #":""#.utf8)
            bytes.append(contentsOf: clocks[name]!.description.utf8)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(contentsOf: "}}".utf8)
    }
}
