/// Decodes the FIT protocol (Garmin's Flexible and Interoperable Data Transfer) from its published description:
/// file header and its CRC, definition and data messages, local message types, compressed timestamp headers,
/// developer fields (skipped by their declared size), little- and big-endian messages, invalid-value markers, and
/// the file CRC.
///
/// Every length is checked against the bytes that are there before it is used; a file that breaks the protocol is
/// refused as a whole (``ImportIssue/Code/corrupt`` or ``ImportIssue/Code/truncated``), never read in part.
struct FITDecoder {
    /// FIT timestamps count seconds from 1989-12-31T00:00:00Z, which is this many seconds after the Unix epoch.
    static let epochOffset: Int64 = 631_065_600
    /// Field 253 is the timestamp in every message that has one.
    static let timestampField: UInt8 = 253

    /// The messages to keep, and of each only these fields (memory stays small for a day-long recording).
    let wanted: [UInt16: Set<UInt8>]

    private struct FieldDefinition {
        let number: UInt8
        let size: Int
        let baseType: UInt8
    }

    private struct Definition {
        let global: UInt16
        let bigEndian: Bool
        let fields: [FieldDefinition]
        /// Bytes of developer fields, skipped.
        let developerBytes: Int
        var size: Int { fields.reduce(developerBytes) { $0 + $1.size } }
    }

    /// The kept messages, in file order.
    func decode(_ bytes: [UInt8]) throws(ImportIssue) -> [FITMessage] {
        guard bytes.count >= 12 else { throw ImportIssue(.truncated, "The FIT file is shorter than its header.") }
        let headerSize = Int(bytes[0])
        guard headerSize == 12 || headerSize == 14 else {
            throw ImportIssue(.corrupt, "The FIT header size \(headerSize) is neither 12 nor 14.")
        }
        guard bytes.count >= headerSize else { throw ImportIssue(.truncated, "The FIT file is shorter than its header.") }
        guard bytes[8] == 0x2E, bytes[9] == 0x46, bytes[10] == 0x49, bytes[11] == 0x54 else {
            throw ImportIssue(.corrupt, "The file does not carry the FIT signature \".FIT\".")
        }
        if headerSize == 14 {
            let stored = UInt16(bytes[12]) | UInt16(bytes[13]) << 8
            // A header CRC of 0 means the writer did not compute one (allowed by the protocol).
            if stored != 0 && stored != FITCRC.update(0, bytes[0..<12]) {
                throw ImportIssue(.corrupt, "The FIT header CRC does not match.")
            }
        }
        let dataSize = Int(UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24)
        let dataEnd = headerSize + dataSize
        guard dataEnd <= bytes.count - 2 else {
            throw ImportIssue(.truncated, "The FIT file ends before the \(dataSize) data bytes its header announces.")
        }
        let stored = UInt16(bytes[dataEnd]) | UInt16(bytes[dataEnd + 1]) << 8
        guard FITCRC.update(0, bytes[0..<dataEnd]) == stored else {
            throw ImportIssue(.corrupt, "The FIT file CRC does not match: the file is damaged.")
        }
        return try messages(bytes, from: headerSize, to: dataEnd)
    }

    private func messages(_ bytes: [UInt8], from start: Int, to end: Int) throws(ImportIssue) -> [FITMessage] {
        var definitions: [Definition?] = Array(repeating: nil, count: 16)
        var kept: [FITMessage] = []
        var lastTimestamp: UInt32?
        var offset = start
        while offset < end {
            let header = bytes[offset]
            offset += 1
            let local: Int
            var compressedTimestamp: UInt32?
            if header & 0x80 != 0 {
                // Compressed timestamp header: a data message whose timestamp is 5 bits of offset from the last one.
                local = Int((header >> 5) & 0x03)
                guard let last = lastTimestamp else {
                    throw ImportIssue(.corrupt, "A compressed timestamp comes before any full timestamp.")
                }
                let delta = UInt32(header & 0x1F)
                let base = last & ~UInt32(0x1F)
                let next = delta >= (last & 0x1F) ? base &+ delta : base &+ delta &+ 0x20
                compressedTimestamp = next
            } else if header & 0x40 != 0 {
                local = Int(header & 0x0F)
                definitions[local] = try readDefinition(bytes, at: &offset, end: end, developer: header & 0x20 != 0)
                continue
            } else {
                local = Int(header & 0x0F)
            }
            guard let definition = definitions[local] else {
                throw ImportIssue(.corrupt, "A data message uses local message type \(local), which nothing defined.")
            }
            guard definition.size <= end - offset else {
                throw ImportIssue(.truncated, "A FIT data message runs past the end of the data.")
            }
            let wantedFields = wanted[definition.global]
            var fields: [UInt8: FITValue] = [:]
            var fieldOffset = offset
            for field in definition.fields {
                defer { fieldOffset += field.size }
                let isTimestamp = field.number == Self.timestampField
                guard isTimestamp || wantedFields?.contains(field.number) == true else { continue }
                guard let value = Self.value(bytes, at: fieldOffset, field: field, bigEndian: definition.bigEndian) else { continue }
                if isTimestamp, let seconds = value.unsigned, seconds <= UInt32.max { lastTimestamp = UInt32(seconds) }
                if wantedFields != nil { fields[field.number] = value }
            }
            offset += definition.size
            if let compressedTimestamp {
                lastTimestamp = compressedTimestamp
                if wantedFields != nil { fields[Self.timestampField] = .unsigned(UInt64(compressedTimestamp)) }
            }
            if wantedFields != nil { kept.append(FITMessage(global: definition.global, fields: fields)) }
        }
        return kept
    }

    private func readDefinition(_ bytes: [UInt8], at offset: inout Int, end: Int, developer: Bool) throws(ImportIssue)
        -> Definition
    {
        guard end - offset >= 5 else { throw ImportIssue(.truncated, "A FIT definition message runs past the end of the data.") }
        let architecture = bytes[offset + 1]
        guard architecture <= 1 else {
            throw ImportIssue(.corrupt, "A FIT definition names architecture \(architecture), neither little nor big endian.")
        }
        let bigEndian = architecture == 1
        let global =
            bigEndian
            ? UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
            : UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8
        let count = Int(bytes[offset + 4])
        offset += 5
        guard end - offset >= count * 3 else {
            throw ImportIssue(.truncated, "A FIT definition's field list runs past the end of the data.")
        }
        var fields: [FieldDefinition] = []
        fields.reserveCapacity(count)
        for index in 0..<count {
            let base = offset + index * 3
            let field = FieldDefinition(number: bytes[base], size: Int(bytes[base + 1]), baseType: bytes[base + 2])
            guard field.size > 0 else { throw ImportIssue(.corrupt, "A FIT field is defined with size 0.") }
            fields.append(field)
        }
        offset += count * 3
        var developerBytes = 0
        if developer {
            guard end - offset >= 1 else { throw ImportIssue(.truncated, "A FIT definition runs past the end of the data.") }
            let developerCount = Int(bytes[offset])
            offset += 1
            guard end - offset >= developerCount * 3 else {
                throw ImportIssue(.truncated, "A FIT definition's developer fields run past the end of the data.")
            }
            for index in 0..<developerCount { developerBytes += Int(bytes[offset + index * 3 + 1]) }
            offset += developerCount * 3
        }
        return Definition(global: global, bigEndian: bigEndian, fields: fields, developerBytes: developerBytes)
    }

    /// The first value of a field, or nil when it holds the base type's invalid marker, has an unknown base type or
    /// a size that is not a multiple of it (the protocol says to read such a field as bytes; nothing we map is bytes).
    private static func value(_ bytes: [UInt8], at offset: Int, field: FieldDefinition, bigEndian: Bool) -> FITValue? {
        let width: Int
        switch field.baseType & 0x1F {
        case 0x00, 0x01, 0x02, 0x0A, 0x0D: width = 1
        case 0x03, 0x04, 0x0B: width = 2
        case 0x05, 0x06, 0x08, 0x0C: width = 4
        case 0x09, 0x0E, 0x0F, 0x10: width = 8
        default: return nil
        }
        guard field.size >= width, field.size % width == 0 else { return nil }
        var raw: UInt64 = 0
        for index in 0..<width {
            let byte = UInt64(bytes[offset + (bigEndian ? index : width - 1 - index)])
            raw = raw << 8 | byte
        }
        switch field.baseType & 0x1F {
        case 0x00, 0x02, 0x0D: return raw == 0xFF ? nil : .unsigned(raw)  // enum, uint8, byte
        case 0x01: return raw == 0x7F ? nil : .signed(Int64(Int8(truncatingIfNeeded: raw)))
        case 0x03: return raw == 0x7FFF ? nil : .signed(Int64(Int16(truncatingIfNeeded: raw)))
        case 0x04: return raw == 0xFFFF ? nil : .unsigned(raw)
        case 0x05: return raw == 0x7FFF_FFFF ? nil : .signed(Int64(Int32(truncatingIfNeeded: raw)))
        case 0x06: return raw == 0xFFFF_FFFF ? nil : .unsigned(raw)
        case 0x08:
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: raw))
            return raw == 0xFFFF_FFFF || !value.isFinite ? nil : .float(Double(value))
        case 0x09:
            let value = Double(bitPattern: raw)
            return raw == UInt64.max || !value.isFinite ? nil : .float(value)
        case 0x0A, 0x0B, 0x0C, 0x10: return raw == 0 ? nil : .unsigned(raw)  // uint8z, uint16z, uint32z, uint64z
        case 0x0E: return raw == 0x7FFF_FFFF_FFFF_FFFF ? nil : .signed(Int64(bitPattern: raw))
        case 0x0F: return raw == UInt64.max ? nil : .unsigned(raw)
        default: return nil
        }
    }
}
