/// base64url without padding (RFC 4648 §5): the text of API and share tokens and of sync cursors.
///
/// Written out rather than through Foundation's base64 and three `replacingOccurrences` passes, which cost a pull a
/// measurable share of the server's CPU per request (the cursor is read and written on every pull). Decoding is
/// strict: only the 64 letters, no padding, and unused trailing bits zero, so every byte string has one text.
package enum Base64URL {
    private static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Each byte's value as a letter, 0xFF for bytes that are not one.
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, letter) in letters.enumerated() { values[Int(letter)] = UInt8(value) }
        return values
    }()

    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var group: UInt32 = 0
        var count = 0
        for byte in bytes {
            group = group << 8 | UInt32(byte)
            count += 1
            if count == 3 {
                for shift in [18, 12, 6, 0] { text.append(letters[Int(group >> UInt32(shift) & 63)]) }
                group = 0
                count = 0
            }
        }
        if count > 0 {
            group <<= UInt32(8 * (3 - count))
            for shift in [18, 12, 6, 0].prefix(count + 1) { text.append(letters[Int(group >> UInt32(shift) & 63)]) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil when it is not canonical base64url without padding.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let length = text.utf8.count
        guard length % 4 != 1 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length * 3 / 4)
        var pending: UInt32 = 0
        var bits: UInt32 = 0
        for letter in text.utf8 {
            let value = values[Int(letter)]
            guard value != 0xFF else { return nil }
            pending = pending << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: pending >> bits))
                pending &= (1 << bits) - 1
            }
        }
        return pending == 0 ? bytes : nil
    }
}
