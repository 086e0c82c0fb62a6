/// The text RunDiary accepts, decided once for every string the service takes: field values, field names and
/// object keys, enumeration codes, names, labels, e-mail addresses and passwords.
///
/// Accepted: any Unicode scalar except the C0 control characters other than tab, line feed and carriage return.
/// U+0000 cannot be stored by PostgreSQL at all (neither in `text` nor in `jsonb`); the other control characters have
/// no meaning in a diary and break the exports' HTML, PDF and CSV consumers. Lone surrogates cannot occur: JSON that
/// encodes one is malformed and refused before any string exists.
public enum AcceptedText {
    /// Whether `scalar` may appear in text.
    @inlinable
    public static func accepts(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x20 || scalar.value == 0x09 || scalar.value == 0x0A || scalar.value == 0x0D
    }

    /// The first scalar of `text` that is not accepted, if any.
    public static func firstRefused(in text: String) -> Unicode.Scalar? {
        // Every refused scalar is a single byte below 0x20 in UTF-8, and no multi-byte sequence contains such a byte.
        for byte in text.utf8 where byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
            return Unicode.Scalar(byte)
        }
        return nil
    }

    /// Whether all of `text` is accepted.
    public static func isAccepted(_ text: String) -> Bool {
        firstRefused(in: text) == nil
    }

    /// `text` with every refused scalar replaced by U+FFFD: a form that can always be stored and shown.
    public static func storable(_ text: String) -> String {
        guard firstRefused(in: text) != nil else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(accepts(scalar) ? scalar : "\u{FFFD}")
        }
        return String(result)
    }

    /// The validation issue for text at `field` holding a refused scalar, or nil when all of it is accepted.
    public static func issue(field: String, text: String) -> ValidationIssue? {
        guard let scalar = firstRefused(in: text) else { return nil }
        return ValidationIssue(
            field: field, code: .invalidValue,
            message: "\(field) contains \(name(of: scalar)), which is not accepted in text.")
    }

    /// `U+0000`-style name of a scalar, for messages that must not echo the character itself.
    static func name(of scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension JSONValue {
    /// The first string or object key inside this value that holds text the service does not accept, as a
    /// validation issue whose field is the path to it (`fields.notes`, `device.name`, `include[2]`).
    public func firstTextIssue(at path: String) -> ValidationIssue? {
        // Almost all text is accepted: one unordered pass says so, without sorting keys or building paths.
        guard holdsRefusedText else { return nil }
        return orderedTextIssue(at: path)
    }

    /// Whether any string or key inside this value holds a scalar the service does not accept.
    private var holdsRefusedText: Bool {
        switch self {
        case .string(let text):
            return AcceptedText.firstRefused(in: text) != nil
        case .array(let elements):
            return elements.contains { $0.holdsRefusedText }
        case .object(let members):
            return members.contains { AcceptedText.firstRefused(in: $0.key) != nil || $0.value.holdsRefusedText }
        case .null, .bool, .integer, .number:
            return false
        }
    }

    /// ``firstTextIssue(at:)``'s search in a fixed order (array elements in order, object keys sorted), so that the
    /// same value always reports the same issue.
    private func orderedTextIssue(at path: String) -> ValidationIssue? {
        switch self {
        case .string(let text):
            return AcceptedText.issue(field: path, text: text)
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let issue = element.orderedTextIssue(at: "\(path)[\(index)]") { return issue }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                let member = path.isEmpty ? key : "\(path).\(key)"
                if let scalar = AcceptedText.firstRefused(in: key) {
                    let shown = path.isEmpty ? AcceptedText.storable(key) : "\(path).\(AcceptedText.storable(key))"
                    return ValidationIssue(
                        field: shown, code: .invalidValue,
                        message:
                            "A key in \(path.isEmpty ? "the body" : path) contains \(AcceptedText.name(of: scalar)), which is not accepted in text."
                    )
                }
                if let issue = members[key]!.orderedTextIssue(at: member) { return issue }
            }
            return nil
        case .null, .bool, .integer, .number:
            return nil
        }
    }

    /// This value with every string and key made storable (see ``AcceptedText/storable(_:)``).
    public var storable: JSONValue {
        switch self {
        case .string(let text):
            return .string(AcceptedText.storable(text))
        case .array(let elements):
            return .array(elements.map(\.storable))
        case .object(let members):
            var result: [String: JSONValue] = [:]
            result.reserveCapacity(members.count)
            for (key, value) in members {
                // Two keys can collapse into one; keep both values by suffixing the later one.
                var storedKey = AcceptedText.storable(key)
                while result[storedKey] != nil { storedKey += "\u{FFFD}" }
                result[storedKey] = value.storable
            }
            return .object(result)
        case .null, .bool, .integer, .number:
            return self
        }
    }
}

extension Mutation {
    /// The first place where this mutation holds text the service does not accept: its entity, op or clock, a field
    /// name, or a string anywhere in a field value. Checked before anything else, by clients and the server alike.
    public var firstTextIssue: ValidationIssue? {
        if let issue = AcceptedText.issue(field: "entity", text: rawEntity) { return issue }
        if let issue = AcceptedText.issue(field: "op", text: rawOp) { return issue }
        if let issue = AcceptedText.issue(field: "hlc", text: rawHLC) { return issue }
        return fields.flatMap { JSONValue.object($0).firstTextIssue(at: "") }
    }
}
