import Foundation

extension UUID: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .uuid }
    public static var postgresArrayType: PostgresDataType { .uuidArray }

    public func encode(into buffer: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { buffer.append(contentsOf: $0) }
    }

    public static func decode(from cell: PostgresCell) throws -> UUID {
        try cell.requireType(.uuid, for: UUID.self)
        let bytes = try cell.requireBytes(for: UUID.self)
        guard bytes.count == 16 else { throw cell.decodingError("uuid must be 16 bytes, got \(bytes.count)") }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: bytes) }
        return UUID(uuid: value)
    }
}
