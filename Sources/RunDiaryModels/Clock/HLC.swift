import Foundation

/// A hybrid logical clock value: physical milliseconds, a logical counter, and the writing device as node.
///
/// Clocks are totally ordered by physical time, then counter, then node (compared as the 16 bytes of the UUID),
/// so two writes never tie. The text form (see ``description``) sorts in the same order.
public struct HLC: Hashable, Sendable {
    /// The latest physical time a clock can carry: 9999-12-31T23:59:59.999Z, the last instant with a 4-digit year.
    public static let maximumPhysicalMillis: Int64 = 253_402_300_799_999

    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let physicalMillis: Int64
    /// Orders events within the same millisecond.
    public let counter: UInt16
    /// The device that produced the clock.
    public let node: UUID

    /// Creates a clock; `physicalMillis` must lie in `0...maximumPhysicalMillis`.
    public init(physicalMillis: Int64, counter: UInt16, node: UUID) {
        precondition((0...Self.maximumPhysicalMillis).contains(physicalMillis), "HLC physical time out of range")
        self.physicalMillis = physicalMillis
        self.counter = counter
        self.node = node
    }

    /// Whether the clock's physical time is more than `maximumSkewMillis` ahead of `physicalMillis`.
    ///
    /// The server rejects writes whose clock is too far in the future: such a clock would win every
    /// last-writer-wins comparison for as long as it stays ahead.
    public func isAhead(of physicalMillis: Int64, byMoreThan maximumSkewMillis: Int64) -> Bool {
        self.physicalMillis - physicalMillis > maximumSkewMillis
    }
}

extension HLC: Comparable {
    public static func < (lhs: HLC, rhs: HLC) -> Bool {
        if lhs.physicalMillis != rhs.physicalMillis { return lhs.physicalMillis < rhs.physicalMillis }
        if lhs.counter != rhs.counter { return lhs.counter < rhs.counter }
        let left = lhs.node.orderKey
        let right = rhs.node.orderKey
        return left.high != right.high ? left.high < right.high : left.low < right.low
    }
}

extension UUID {
    /// The UUID's bytes as two big-endian integers, whose order is the order of the lowercase text form.
    var orderKey: (high: UInt64, low: UInt64) {
        let b = uuid
        let high =
            UInt64(b.0) << 56 | UInt64(b.1) << 48 | UInt64(b.2) << 40 | UInt64(b.3) << 32
            | UInt64(b.4) << 24 | UInt64(b.5) << 16 | UInt64(b.6) << 8 | UInt64(b.7)
        let low =
            UInt64(b.8) << 56 | UInt64(b.9) << 48 | UInt64(b.10) << 40 | UInt64(b.11) << 32
            | UInt64(b.12) << 24 | UInt64(b.13) << 16 | UInt64(b.14) << 8 | UInt64(b.15)
        return (high, low)
    }

    /// The UUID whose ``orderKey`` is `key`.
    init(orderKey key: (high: UInt64, low: UInt64)) {
        func byte(_ word: UInt64, _ index: UInt64) -> UInt8 {
            UInt8(truncatingIfNeeded: word >> (56 - 8 * index))
        }
        let (h, l) = key
        self.init(
            uuid: (
                byte(h, 0), byte(h, 1), byte(h, 2), byte(h, 3), byte(h, 4), byte(h, 5), byte(h, 6), byte(h, 7),
                byte(l, 0), byte(l, 1), byte(l, 2), byte(l, 3), byte(l, 4), byte(l, 5), byte(l, 6), byte(l, 7)
            )
        )
    }
}
