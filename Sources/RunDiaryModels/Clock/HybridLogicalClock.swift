import Foundation

/// The clock a device (or the server) keeps to stamp its writes with ``HLC`` values.
///
/// A value type: the owner decides where it lives (an actor, a locked store) and persists ``latest`` so a
/// restarted process never issues a clock lower than one it already issued.
public struct HybridLogicalClock: Sendable {
    /// The node written into every issued clock (a device id, or the server's id).
    public let node: UUID
    /// The greatest clock issued or received so far.
    public private(set) var latest: HLC?

    /// Creates a clock for `node`, resuming after `latest` if one was persisted.
    public init(node: UUID, latest: HLC? = nil) {
        self.node = node
        self.latest = latest
    }

    /// A clock for a local event or a send: later than every clock issued or received so far.
    public mutating func now(physicalMillis: Int64) -> HLC {
        let wall = Self.clamp(physicalMillis)
        guard let last = latest, last.physicalMillis >= wall else {
            return issue(physicalMillis: wall, counter: 0)
        }
        return issue(physicalMillis: last.physicalMillis, nextCounter: Int(last.counter) + 1)
    }

    /// Merges a clock received from another node and returns a clock later than both it and every earlier one.
    public mutating func receive(_ remote: HLC, physicalMillis: Int64) -> HLC {
        let wall = Self.clamp(physicalMillis)
        let localMillis = latest?.physicalMillis ?? -1
        let localCounter = Int(latest?.counter ?? 0)
        let millis = max(wall, localMillis, remote.physicalMillis)
        let counter: Int
        if millis == localMillis && millis == remote.physicalMillis {
            counter = max(localCounter, Int(remote.counter)) + 1
        } else if millis == localMillis {
            counter = localCounter + 1
        } else if millis == remote.physicalMillis {
            counter = Int(remote.counter) + 1
        } else {
            counter = 0
        }
        return issue(physicalMillis: millis, nextCounter: counter)
    }

    /// ``now(physicalMillis:)`` at the system clock's current time.
    public mutating func now() -> HLC {
        now(physicalMillis: Self.systemMillis())
    }

    /// ``receive(_:physicalMillis:)`` at the system clock's current time.
    public mutating func receive(_ remote: HLC) -> HLC {
        receive(remote, physicalMillis: Self.systemMillis())
    }

    /// The system clock in milliseconds since 1970.
    public static func systemMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Issues a clock, carrying a counter overflow into the next millisecond so clocks stay strictly increasing.
    private mutating func issue(physicalMillis: Int64, nextCounter: Int) -> HLC {
        if nextCounter > Int(UInt16.max) {
            precondition(physicalMillis < HLC.maximumPhysicalMillis, "HLC exhausted")
            return issue(physicalMillis: physicalMillis + 1, counter: 0)
        }
        return issue(physicalMillis: physicalMillis, counter: UInt16(nextCounter))
    }

    private mutating func issue(physicalMillis: Int64, counter: UInt16) -> HLC {
        let clock = HLC(physicalMillis: physicalMillis, counter: counter, node: node)
        latest = clock
        return clock
    }

    private static func clamp(_ millis: Int64) -> Int64 {
        min(max(millis, 0), HLC.maximumPhysicalMillis)
    }
}
