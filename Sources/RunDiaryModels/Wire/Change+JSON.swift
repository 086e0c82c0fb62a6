import Foundation

/// How a pulled change names its fields' clocks (docs/sync-protocol.md §8, "Clocks in a change").
///
/// A record is mostly written by one mutation, so its fields share one clock; written once per field, the clocks are
/// about two thirds of a change's bytes. In the shared form a change carries that clock once, as `clock`, and
/// `clocks` names only the fields whose clock differs. Both forms describe the same clocks
/// (``Change/fieldClocks(fields:clock:clocks:)``): a client asks for the shared form with `clocks=shared`.
public enum ClockForm: String, Sendable, CaseIterable {
    /// Every field's clock in `clocks`: what a pull sends unless asked for the shared form.
    case perField = "per_field"
    /// The clock most fields have as `clock`, the others in `clocks`.
    case shared
}

extension Change {
    /// The clock a change's shared form writes as `clock`: the one most fields have (of equally common ones, the
    /// latest); nil for a record without fields (a tombstone).
    public static func sharedClock(of clocks: [String: HLC]) -> HLC? {
        guard let first = clocks.first?.value else { return nil }
        // Almost always every field has the same clock: settled without counting.
        if clocks.values.allSatisfy({ $0 == first }) { return first }
        var counts: [HLC: Int] = [:]
        for clock in clocks.values { counts[clock, default: 0] += 1 }
        return counts.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }

    /// Every field's clock, read from either form: those `clocks` names, and `clock` for each field of `fields` it
    /// leaves out. Without `clock` (the per-field form), `clocks` as sent.
    public static func fieldClocks(fields: [String: JSONValue], clock: HLC?, clocks: [String: HLC]) -> [String: HLC] {
        guard let clock else { return clocks }
        var all = clocks
        all.reserveCapacity(fields.count)
        for name in fields.keys where all[name] == nil { all[name] = clock }
        return all
    }

    /// Appends the per-field form of a change that ``appendJSON(entity:id:version:deleted:fields:clocks:form:to:)``
    /// wrote in the shared form, rewritten in one pass over its bytes (a per-field pull of a stored change, without
    /// parsing it); false, with nothing appended, when `json` is not laid out as that writer lays it out.
    ///
    /// The writer puts `fields` (keys sorted) right after `deleted`, then `clock`, then `clocks` holding only the
    /// fields whose clock differs; the per-field form is the same up to the fields' `}`, then every field's clock.
    public static func appendPerField(fromShared json: UnsafeRawBufferPointer, to bytes: inout [UInt8]) -> Bool {
        var scanner = ChangeScanner(json)
        guard let fieldsStart = scanner.skip(past: Array(#","fields":{"#.utf8)) else { return false }
        scanner.index = fieldsStart
        var names: [Range<Int>] = []
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                guard let name = scanner.string(), scanner.consume(UInt8(ascii: ":")), scanner.skipValue() else { return false }
                names.append(name)
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "}")) else { return false }
        }
        let fieldsEnd = scanner.index
        guard scanner.consume(Array(#","clock":"#.utf8)), let shared = scanner.string(),
            scanner.consume(Array(#","clocks":{"#.utf8))
        else { return false }
        var overrides: [(name: Range<Int>, clock: Range<Int>)] = []
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                guard let name = scanner.string(), scanner.consume(UInt8(ascii: ":")), let clock = scanner.string() else {
                    return false
                }
                overrides.append((name, clock))
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "}")) else { return false }
        }
        guard scanner.consume(UInt8(ascii: "}")), scanner.index == json.count else { return false }
        // Both lists are sorted; every override must name a field (RecordState's invariant), else the slow way.
        var next = 0
        for name in names where next < overrides.count && json[name].elementsEqual(json[overrides[next].name]) {
            next += 1
        }
        guard next == overrides.count else { return false }

        bytes.append(contentsOf: json[0..<fieldsEnd])
        bytes.append(contentsOf: #","clocks":{"#.utf8)
        next = 0
        for (position, name) in names.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: json[(name.lowerBound - 1)..<(name.upperBound + 1)])  // the key, quoted
            bytes.append(UInt8(ascii: ":"))
            var clock = shared
            if next < overrides.count && json[name].elementsEqual(json[overrides[next].name]) {
                clock = overrides[next].clock
                next += 1
            }
            bytes.append(contentsOf: json[(clock.lowerBound - 1)..<(clock.upperBound + 1)])
        }
        bytes.append(contentsOf: "}}".utf8)
        return true
    }

    /// Appends the change as a pull sends it, in `form`: compact JSON, the keys of `fields` and `clocks` sorted.
    public func appendJSON(to bytes: inout [UInt8], form: ClockForm) {
        Self.appendJSON(
            entity: entity, id: id, version: version, deleted: deleted, fields: fields, clocks: clocks, form: form,
            to: &bytes)
    }

    /// Whether JSON this writer wrote may be in the shared form: false means it is certainly in the per-field form
    /// (only the shared form has `"clock"` right after the fields' closing brace; a field's nested value rarely does).
    public static func mayHaveSharedClock(_ json: UnsafeRawBufferPointer) -> Bool {
        ChangeScanner(json).skip(past: sharedClockMarker) != nil
    }

    private static let sharedClockMarker = Array(#"},"clock":""#.utf8)

    /// The one writer of a change's JSON: the server stores it once per written record (``ClockForm/shared``) and a
    /// pull passes the stored bytes through; `Change`'s `Decodable` reads both forms back.
    static func appendJSON(
        entity: EntityKind, id: UUID, version: Int64, deleted: Bool, fields: [String: JSONValue], clocks: [String: HLC],
        form: ClockForm, to bytes: inout [UInt8]
    ) {
        bytes.append(contentsOf: #"{"entity":"#.utf8)
        JSONValue.appendString(entity.rawValue, to: &bytes)
        bytes.append(contentsOf: #","id":""#.utf8)
        id.appendText(to: &bytes)
        bytes.append(contentsOf: #"","version":"#.utf8)
        bytes.append(contentsOf: String(version).utf8)
        bytes.append(contentsOf: (deleted ? #","deleted":true,"fields":{"# : #","deleted":false,"fields":{"#).utf8)
        RecordState.appendMembers(of: fields, to: &bytes) { value, bytes in value.appendJSON(to: &bytes) }
        bytes.append(UInt8(ascii: "}"))
        // The shared clock only stands for fields the change has: each of them has a clock (RecordState's invariant).
        let shared = form == .shared ? sharedClock(of: clocks) : nil
        if let shared {
            bytes.append(contentsOf: #","clock":""#.utf8)  // after the fields' "}": sharedClockMarker
            shared.appendText(to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(contentsOf: #","clocks":{"#.utf8)
        var texts = ClockTexts()
        RecordState.appendMembers(of: clocks, to: &bytes) { clock, bytes in
            texts.appendQuoted(clock, to: &bytes)
        } where: { name, clock in
            clock != shared || fields[name] == nil
        }
        bytes.append(contentsOf: "}}".utf8)
    }
}

extension RecordState {
    /// Appends the record as a pull sends it: the wire form of ``Change/init(_:)`` in `form`
    /// (``Change/appendJSON(to:form:)``).
    public func appendChangeJSON(to bytes: inout [UInt8], form: ClockForm = .shared) {
        Change.appendJSON(
            entity: entity, id: id, version: version, deleted: isDeleted, fields: fields, clocks: clocks, form: form,
            to: &bytes)
    }

    /// Appends `clocks` as a JSON object of clock texts, keys sorted: the store's column.
    public func appendClocksJSON(to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        var texts = ClockTexts()
        Self.appendMembers(of: clocks, to: &bytes) { clock, bytes in texts.appendQuoted(clock, to: &bytes) }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `fieldVersions` as a JSON object of integers, keys sorted: the store's column.
    public func appendFieldVersionsJSON(to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        Self.appendMembers(of: fieldVersions, to: &bytes) { version, bytes in bytes.append(contentsOf: String(version).utf8) }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `"key":value` pairs (those `include` keeps), keys in sorted order, separated by commas (the braces
    /// are the caller's).
    fileprivate static func appendMembers<Value>(
        of members: [String: Value], to bytes: inout [UInt8], _ appendValue: (Value, inout [UInt8]) -> Void,
        where include: (String, Value) -> Bool = { _, _ in true }
    ) {
        var first = true
        for member in members.sorted(by: { $0.key < $1.key }) where include(member.key, member.value) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            JSONValue.appendString(member.key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendValue(member.value, &bytes)
        }
    }
}

/// Writes clocks as quoted text: a record's fields mostly share one clock, whose text is then made once and copied.
private struct ClockTexts {
    private var last: HLC?
    private var text: [UInt8] = []

    mutating func appendQuoted(_ clock: HLC, to bytes: inout [UInt8]) {
        if clock != last {
            last = clock
            text.removeAll(keepingCapacity: true)
            clock.appendText(to: &text)
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text)
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The few steps of reading a change's JSON that ``Change/appendPerField(fromShared:to:)`` needs: strings (their
/// contents' range, escapes left as they are) and values skipped whole.
private struct ChangeScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The index right after the first occurrence of `marker`.
    func skip(past marker: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        var start = 0
        while start <= bytes.count - marker.count {
            if bytes[start] == marker[0], bytes[start..<start + marker.count].elementsEqual(marker) {
                return start + marker.count
            }
            start += 1
        }
        return nil
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func consume(_ literal: [UInt8]) -> Bool {
        guard bytes.count - index >= literal.count, bytes[index..<index + literal.count].elementsEqual(literal) else {
            return false
        }
        index += literal.count
        return true
    }

    /// A string starting here: the range of its contents (between the quotes).
    mutating func string() -> Range<Int>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            default: index += 1
            }
        }
        return nil
    }

    /// Skips one value starting here: a string, an object or array (with what they hold), or a literal or number.
    mutating func skipValue() -> Bool {
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default: break
                }
                index += 1
            }
            return false
        default:
            let start = index
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index]) {
                index += 1
            }
            return index > start
        }
    }
}
