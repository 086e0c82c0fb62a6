import Crypto
import Foundation
import RunDiaryModels

/// What the server keeps of a device's most recently acknowledged mutations, so that it answers `duplicate` only for
/// a mutation it can show it has seen: the same mutation id with the same content.
///
/// Stored in `devices.acknowledged` as up to ``capacity`` entries of (mutation id, 8-byte content digest), big
/// endian, ascending by id. A retry of a push whose answer was lost — the only way a conforming device resends an
/// acknowledged mutation — falls inside the window; a device whose numbering went backwards, or reused a number for
/// a different change, does not match and gets a kept rejection instead of a silent `duplicate`.
struct AcknowledgedMutations: Equatable {
    /// Entries kept: more than a whole push (500), so a retried push is always covered.
    static let capacity = 600
    private static let entrySize = 16

    private(set) var entries: [(id: Int64, digest: UInt64)]

    static func == (lhs: AcknowledgedMutations, rhs: AcknowledgedMutations) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.id == $1.id && $0.digest == $1.digest }
    }

    init() {
        entries = []
    }

    /// Reads the stored form; malformed bytes (never written by this code) read as an empty window.
    init(bytes: [UInt8]) {
        guard bytes.count % Self.entrySize == 0 else {
            entries = []
            return
        }
        entries = stride(from: 0, to: bytes.count, by: Self.entrySize).map { offset in
            (Self.integer(bytes, at: offset), Self.integer(bytes, at: offset + 8))
        }
    }

    /// The stored form.
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * Self.entrySize)
        for entry in entries {
            withUnsafeBytes(of: entry.id.bigEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: entry.digest.bigEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// What the window knows of a mutation id at or below the device's last acknowledged one.
    enum Recall: Equatable {
        /// This very mutation was acknowledged before.
        case seen
        /// The id was acknowledged for a different change.
        case reused
        /// The id is older than the window: the server cannot show what it held.
        case unknown
    }

    func recall(_ mutation: Mutation) -> Recall {
        guard let entry = entries.first(where: { $0.id == mutation.mutationID }) else { return .unknown }
        return entry.digest == Self.digest(of: mutation) ? .seen : .reused
    }

    /// Records a newly acknowledged mutation (ids arrive in increasing order), keeping the newest ``capacity``.
    mutating func record(_ mutation: Mutation) {
        entries.append((mutation.mutationID, Self.digest(of: mutation)))
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// A digest of everything a mutation says, in a fixed encoding: the entity, the id (lowercase), the op, the clock,
    /// the base version (decimal, or `-`) and the fields (compact JSON, keys sorted; empty when absent), each
    /// prefixed by its length in bytes (4, big endian); the first 8 bytes of their SHA-256, big endian.
    ///
    /// Digests are stored and compared with later pushes: this encoding never changes (AcknowledgedMutationsTests).
    static func digest(of mutation: Mutation) -> UInt64 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + (mutation.fields?.count ?? 0) * 48)
        /// Appends what `write` appends, after its length.
        func field(_ write: (inout [UInt8]) -> Void) {
            let start = bytes.count
            bytes.append(contentsOf: [0, 0, 0, 0])
            write(&bytes)
            let length = UInt32(bytes.count - start - 4)
            for index in 0..<4 { bytes[start + index] = UInt8(truncatingIfNeeded: length >> (24 - 8 * index)) }
        }
        field { $0.append(contentsOf: mutation.rawEntity.utf8) }
        field { mutation.id.appendText(to: &$0) }
        field { $0.append(contentsOf: mutation.rawOp.utf8) }
        field { $0.append(contentsOf: mutation.rawHLC.utf8) }
        field { $0.append(contentsOf: (mutation.baseVersion.map(String.init) ?? "-").utf8) }
        field { bytes in mutation.fields.map { JSONValue.object($0).appendJSON(to: &bytes) } }
        let hash = SHA256.hash(data: bytes)
        return hash.withUnsafeBytes { hash in hash.prefix(8).reduce(0) { $0 << 8 | UInt64($1) } }
    }

    private static func integer<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for index in offset..<offset + MemoryLayout<T>.size { value = value << 8 | T(bytes[index]) }
        return value
    }
}
