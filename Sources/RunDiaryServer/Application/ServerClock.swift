import Foundation
import NIOConcurrencyHelpers
import RunDiaryModels

/// The server's hybrid logical clock: it hears every accepted device clock, so the `server_hlc` it stamps on each
/// response is never behind anything a device has shown it.
final class ServerClock: Sendable {
    private let clock: NIOLockedValueBox<HybridLogicalClock>

    init(node: UUID = UUID()) {
        clock = NIOLockedValueBox(HybridLogicalClock(node: node))
    }

    /// A new timestamp for a response.
    func now() -> HLC {
        clock.withLockedValue { $0.now() }
    }

    /// Takes in a device clock the server accepted.
    func receive(_ remote: HLC) {
        clock.withLockedValue { _ = $0.receive(remote) }
    }
}
