import Foundation
import NIOConcurrencyHelpers

/// When each pushed record's push was answered, and when the other device had pulled it: the live scenario's
/// latency is the difference.
final class DeliveryClock: Sendable {
    private struct Times {
        var answered: ContinuousClock.Instant?
        var pulled: ContinuousClock.Instant?
    }

    private let times = NIOLockedValueBox([UUID: Times]())

    func pushAnswered(_ id: UUID, at instant: ContinuousClock.Instant) {
        times.withLockedValue { $0[id, default: Times()].answered = instant }
    }

    func pulled(_ ids: [UUID], at instant: ContinuousClock.Instant) {
        times.withLockedValue { times in
            for id in ids where times[id]?.pulled == nil { times[id, default: Times()].pulled = instant }
        }
    }

    /// Milliseconds from each answered push to its record's pull (0 when the pull came first: the other device can
    /// hear of a change before the pushing device has read its answer), and how many were never pulled.
    func deliveries() -> (milliseconds: [Double], undelivered: Int) {
        times.withLockedValue { times in
            var milliseconds: [Double] = []
            var undelivered = 0
            for entry in times.values {
                guard let answered = entry.answered else { continue }
                guard let pulled = entry.pulled else {
                    undelivered += 1
                    continue
                }
                milliseconds.append(max(0, (pulled - answered).milliseconds))
            }
            return (milliseconds, undelivered)
        }
    }

    /// Whether every answered push has been pulled.
    var allDelivered: Bool {
        times.withLockedValue { $0.values.allSatisfy { $0.answered == nil || $0.pulled != nil } }
    }
}
