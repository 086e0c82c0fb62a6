import Foundation

extension UUID {
    /// Parses the 36-character text form (8-4-4-4-12 hexadecimal digits, either case, nothing around them): the
    /// form `UUID(uuidString:)` accepts, read without going through `sscanf` (a push reads a few ids per mutation).
    public init?(text: String) {
        guard text.utf8.count == 36, let uuid = ASCII.withBytes(text, { ASCII.uuid($0, at: 0, allowingUppercase: true) })
        else { return nil }
        self = uuid
    }

    /// The lowercase text form, the one the wire, the clocks and PostgreSQL use.
    public var lowercasedText: String {
        ASCII.string(capacity: 36) { $0.appendUUID(self) }
    }

    /// Appends ``lowercasedText``'s bytes.
    public func appendText(to bytes: inout [UInt8]) {
        ASCII.append(capacity: 36, to: &bytes) { $0.appendUUID(self) }
    }
}
