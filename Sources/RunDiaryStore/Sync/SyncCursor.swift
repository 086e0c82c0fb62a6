import Foundation

/// A pull position: the database's sync epoch and the user's change version up to which a device has everything.
///
/// Opaque to clients, so that its meaning can change without breaking them. Issued as
/// `c2.<base64url(16-byte epoch ‖ 8-byte big-endian version)>`. The epoch ties the version to one history of the
/// database: after a restore (`rundiary restore-finish`) the versions are reused for other changes, so a cursor of
/// another epoch must reset. Cursors of the first format, `c1.<base64url("v:<version>")>`, carry no epoch: they are
/// still read, with ``epoch`` nil, and answered as of an unknown epoch (reset).
package struct SyncCursor: Sendable, Hashable {
    /// The epoch of the database that issued the cursor; nil for a `c1` cursor.
    package let epoch: UUID?
    package let version: Int64

    package init(epoch: UUID, version: Int64) {
        self.epoch = epoch
        self.version = version
    }

    /// Parses a cursor a client sent; nil when it is not one of ours.
    package init?(text: String) {
        guard text.utf8.count <= 64 else { return nil }
        if text.hasPrefix("c2."), let bytes = Base64URL.decode(text.dropFirst(3)), bytes.count == 24 {
            let version = bytes[16...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard version <= UInt64(Int64.max) else { return nil }
            epoch = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                ))
            self.version = Int64(version)
        } else if text.hasPrefix("c1."), let bytes = Base64URL.decode(text.dropFirst(3)),
            let body = String(bytes: bytes, encoding: .utf8), body.hasPrefix("v:"),
            let version = Int64(body.dropFirst(2)), version >= 0
        {
            epoch = nil
            self.version = version
        } else {
            return nil
        }
    }

    /// Whether a pull can continue from this cursor in a database of `epoch` whose account counter is at `current`,
    /// pruned through `prunedThrough`; if not, the device must reset. A cursor of another epoch (issued before a
    /// restore, or a c1 cursor with none) counts versions of another history of this database: nothing after it can be
    /// trusted; one below the pruning mark may have missed a pruned delete; one above the counter names changes this
    /// database never had.
    package func continues(epoch: UUID, prunedThrough: Int64, current: Int64) -> Bool {
        self.epoch == epoch && version >= prunedThrough && version <= current
    }

    package var text: String {
        var bytes: [UInt8] = []
        if let epoch {
            withUnsafeBytes(of: epoch.uuid) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(version) >> ($0 * 8)) })
            return "c2." + Base64URL.encode(bytes)
        }
        return "c1." + Base64URL.encode(Array("v:\(version)".utf8))
    }
}
