/// The CRC-16 of the FIT protocol (polynomial 0xA001, computed a nibble at a time, as in Garmin's SDK).
enum FITCRC {
    private static let table: [UInt16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ]

    /// The CRC of `bytes`, continuing from `crc`.
    static func update<Bytes: Sequence>(_ crc: UInt16, _ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
        var crc = crc
        for byte in bytes {
            var low = table[Int(crc & 0xF)]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ low ^ table[Int(byte & 0xF)]
            low = table[Int(crc & 0xF)]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ low ^ table[Int((byte >> 4) & 0xF)]
        }
        return crc
    }
}
