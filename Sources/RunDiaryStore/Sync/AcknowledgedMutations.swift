import Crypto
import Foundation
import Postgres
import RunDiaryModels

/// What the server keeps of a device's most recently acknowledged mutations, so that it answers `duplicate` only for
/// a mutation it can show it has seen: the same mutation id with the same content.
///
/// Entries are (mutation id, 8-byte content digest), 16 bytes each, big endian, ascending by id, in two parts: the
/// newest in `devices.acknowledged` (up to ``recentCapacity`` entries, small enough to stay in the device's row), the
/// older ones in `device_acknowledgements` (up to ``capacity``). Together they always hold at least the
/// ``capacity`` newest. A push appends to the newest part; when that would outgrow ``recentCapacity``, the newest part
/// as it was is folded into the older one (keeping its ``capacity`` newest entries) and the push's
/// own entries start a new newest part (``writes(userID:deviceID:)``). A device pushing one change at a time so rewrites a few hundred bytes per
/// push and the older part once every ``recentCapacity`` pushes, instead of a whole 9.6 kB window (stored out of line)
/// on every push; a push reads the older part only when it resends acknowledged ids.
///
/// A retry of a push whose answer was lost — the only way a conforming device resends an acknowledged mutation — falls
/// inside the window; a device whose numbering went backwards, or reused a number for a different change, does not
/// match and gets a kept rejection instead of a silent `duplicate`.
struct AcknowledgedMutations {
    /// Entries the window always holds, at least: more than a whole push (500), so a retried push is always covered.
    static let capacity = 600
    /// Entries the newest part grows to before it is folded into the older part: 1,536 bytes.
    static let recentCapacity = 96
    static let entrySize = 16

    typealias Entry = (id: Int64, digest: UInt64)

    /// The newest part as the push read it.
    private let recent: [Entry]
    /// The older part, once read (``includeOlder(bytes:)``).
    private var older: [Entry]?
    /// What this push acknowledged, in order.
    private(set) var added: [Entry] = []

    /// A window read from its stored newest part; malformed bytes (never written by this code) read as empty.
    init(recent bytes: [UInt8] = []) {
        recent = Self.entries(bytes)
    }

    /// Adds the stored older part: needed before ``recall(_:)`` of an id the newest part may not hold.
    mutating func includeOlder(bytes: [UInt8]) {
        older = Self.entries(bytes)
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

    /// What the window holds for `mutation`'s id: the newest part, then the older one if it was read.
    func recall(_ mutation: Mutation) -> Recall {
        let entry =
            recent.last(where: { $0.id == mutation.mutationID }) ?? older?.last(where: { $0.id == mutation.mutationID })
        guard let entry else { return .unknown }
        return entry.digest == Self.digest(of: mutation) ? .seen : .reused
    }

    /// Records a newly acknowledged mutation (ids arrive in increasing order).
    mutating func record(_ mutation: Mutation) {
        added.append((mutation.mutationID, Self.digest(of: mutation)))
    }

    /// What the push stores as the newest part, and whether the newest part as it was is first folded into the older
    /// one.
    var stored: (recent: [UInt8], folds: Bool) {
        if recent.count + added.count <= Self.recentCapacity {
            return (Self.bytes(recent + added), false)
        }
        return (Self.bytes(added.suffix(Self.capacity)), true)
    }

    /// The push's writes of the window, for its writing statement: when the newest part folds, a data-modifying
    /// `WITH` item that stores the older part followed by the newest part as it was (read from the statement's
    /// snapshot, before the device's UPDATE), cut to its ``capacity`` newest entries; and the device's `SET` item for
    /// the newest part.
    func writes(userID: UUID, deviceID: UUID) -> (fold: PostgresQuery?, recent: PostgresQuery) {
        let (recent, folds) = stored
        let size = Int32(Self.capacity * Self.entrySize)
        let fold: PostgresQuery? =
            folds
            ? """
            acknowledgements_folded AS (
                INSERT INTO device_acknowledgements AS a (user_id, device_id, entries)
                SELECT d.user_id, d.id, substring(d.acknowledged FROM greatest(1, octet_length(d.acknowledged) - \(size) + 1))
                FROM devices d WHERE d.user_id = \(userID) AND d.id = \(deviceID)
                ON CONFLICT (user_id, device_id) DO UPDATE SET entries = substring(a.entries || EXCLUDED.entries
                    FROM greatest(1, octet_length(a.entries) + octet_length(EXCLUDED.entries) - \(size) + 1)))
            """ : nil
        return (fold, "acknowledged = \(Data(recent))")
    }

    private static func entries(_ bytes: [UInt8]) -> [Entry] {
        guard bytes.count % entrySize == 0 else { return [] }
        return stride(from: 0, to: bytes.count, by: entrySize).map { offset in
            (integer(bytes, at: offset), integer(bytes, at: offset + 8))
        }
    }

    static func bytes(_ entries: some Collection<Entry>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * entrySize)
        for entry in entries {
            withUnsafeBytes(of: entry.id.bigEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: entry.digest.bigEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
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
