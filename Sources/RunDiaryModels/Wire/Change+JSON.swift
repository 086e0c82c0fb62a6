import Foundation

extension RecordState {
    /// Appends the record as a pull sends it: the wire form of ``Change/init(_:)``, compact JSON, the keys of
    /// `fields` and `clocks` in sorted order.
    ///
    /// The server writes this once, when a push stores the record, and a pull passes the stored bytes through; so it
    /// is the one writer of a change's JSON, and `Change`'s `Decodable` reads it back to ``Change/init(_:)``.
    ///
    /// `clocksJSON` is what ``appendClocksJSON(to:)`` wrote for this state, when the caller has it already (the store
    /// writes it to a column of its own too); without it the clocks are written here.
    public func appendChangeJSON(to bytes: inout [UInt8], clocksJSON: [UInt8]? = nil) {
        bytes.append(contentsOf: #"{"entity":"#.utf8)
        JSONValue.appendString(entity.rawValue, to: &bytes)
        bytes.append(contentsOf: #","id":""#.utf8)
        id.appendText(to: &bytes)
        bytes.append(contentsOf: #"","version":"#.utf8)
        bytes.append(contentsOf: String(version).utf8)
        bytes.append(contentsOf: (isDeleted ? #","deleted":true,"fields":{"# : #","deleted":false,"fields":{"#).utf8)
        Self.appendMembers(of: fields, to: &bytes) { value, bytes in value.appendJSON(to: &bytes) }
        bytes.append(contentsOf: #"},"clocks":"#.utf8)
        if let clocksJSON {
            bytes.append(contentsOf: clocksJSON)
        } else {
            appendClocksJSON(to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `clocks` as a JSON object of clock texts, keys sorted: the change's `clocks` and the store's column.
    public func appendClocksJSON(to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        Self.appendMembers(of: clocks, to: &bytes) { clock, bytes in
            bytes.append(UInt8(ascii: "\""))
            clock.appendText(to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `fieldVersions` as a JSON object of integers, keys sorted: the store's column.
    public func appendFieldVersionsJSON(to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        Self.appendMembers(of: fieldVersions, to: &bytes) { version, bytes in bytes.append(contentsOf: String(version).utf8) }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `"key":value` pairs, keys in sorted order, separated by commas (the braces are the caller's).
    private static func appendMembers<Value>(
        of members: [String: Value], to bytes: inout [UInt8], _ appendValue: (Value, inout [UInt8]) -> Void
    ) {
        for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.appendString(member.key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendValue(member.value, &bytes)
        }
    }
}
