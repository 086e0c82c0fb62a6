@testable import RunDiaryImport

/// Writes FIT files by hand, for protocol features the fixture writer does not produce (compressed timestamp
/// headers) and for broken structure with a correct CRC.
struct FITBytes {
    private(set) var records: [UInt8] = []

    /// A definition message; `fields` are (number, size, base type).
    mutating func define(
        local: UInt8, global: UInt16, fields: [(UInt8, UInt8, UInt8)], bigEndian: Bool = false,
        developer: [(UInt8, UInt8, UInt8)] = []
    ) {
        records.append(0x40 | (developer.isEmpty ? 0 : 0x20) | local)
        records += [0, bigEndian ? 1 : 0]
        records += bigEndian ? [UInt8(global >> 8), UInt8(global & 0xFF)] : [UInt8(global & 0xFF), UInt8(global >> 8)]
        records.append(UInt8(fields.count))
        for field in fields { records += [field.0, field.1, field.2] }
        if !developer.isEmpty {
            records.append(UInt8(developer.count))
            for field in developer { records += [field.0, field.1, field.2] }
        }
    }

    /// A data message with a normal header.
    mutating func data(local: UInt8, _ bytes: [UInt8]) {
        records.append(local)
        records += bytes
    }

    /// A data message with a compressed timestamp header: `offset` is the low 5 bits of its timestamp.
    mutating func compressed(local: UInt8, offset: UInt8, _ bytes: [UInt8]) {
        records.append(0x80 | (local << 5) | (offset & 0x1F))
        records += bytes
    }

    mutating func raw(_ bytes: [UInt8]) {
        records += bytes
    }

    /// The file: a 14-byte header with its CRC, the records, the file CRC.
    var file: [UInt8] {
        let size = UInt32(records.count)
        var header: [UInt8] = [14, 0x20, 0x08, 0x52]
        header += [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)]
        header += Array(".FIT".utf8)
        let headerCRC = FITCRC.update(0, header)
        header += [UInt8(headerCRC & 0xFF), UInt8(headerCRC >> 8)]
        let body = header + records
        let crc = FITCRC.update(0, body)
        return body + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }

    static func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    static func be32(_ value: UInt32) -> [UInt8] {
        le32(value).reversed()
    }
}
