import Foundation
import NIOConcurrencyHelpers

/// Slows password guessing: after `limit` failed logins within `window` for one account, or `limit × 3` from one
/// client address, further attempts are refused until the oldest failure leaves the window.
///
/// In memory, per server instance: behind a load balancer each instance counts on its own, which still bounds the
/// rate to `instances × limit` per window.
final class LoginThrottle: Sendable {
    private struct State {
        var failuresByAccount: [String: [ContinuousClock.Instant]] = [:]
        var failuresByAddress: [String: [ContinuousClock.Instant]] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let limit: Int
    private let window: Duration

    init(limit: Int, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until another attempt is allowed, or nil when it is allowed now.
    func retryAfter(account: String, address: String?) -> Int? {
        let now = ContinuousClock.now
        return state.withLockedValue { state in
            let byAccount = Self.recent(state.failuresByAccount[account], now: now, window: window)
            let byAddress = address.map { Self.recent(state.failuresByAddress[$0], now: now, window: window) } ?? []
            var waits: [Duration] = []
            if byAccount.count >= limit, let oldest = byAccount.first { waits.append(oldest + window - now) }
            if byAddress.count >= limit * 3, let oldest = byAddress.first { waits.append(oldest + window - now) }
            return waits.max().map { max(1, Int($0.components.seconds) + 1) }
        }
    }

    func recordFailure(account: String, address: String?) {
        let now = ContinuousClock.now
        state.withLockedValue { state in
            state.failuresByAccount[account] = Self.recent(state.failuresByAccount[account], now: now, window: window) + [now]
            if let address {
                state.failuresByAddress[address] =
                    Self.recent(state.failuresByAddress[address], now: now, window: window) + [now]
            }
            if state.failuresByAccount.count > 100_000 { state.failuresByAccount = [:] }
            if state.failuresByAddress.count > 100_000 { state.failuresByAddress = [:] }
        }
    }

    func recordSuccess(account: String) {
        state.withLockedValue { _ = $0.failuresByAccount.removeValue(forKey: account) }
    }

    private static func recent(_ times: [ContinuousClock.Instant]?, now: ContinuousClock.Instant, window: Duration)
        -> [ContinuousClock.Instant]
    {
        (times ?? []).filter { now - $0 < window }
    }
}
