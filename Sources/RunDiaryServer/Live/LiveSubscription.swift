import Foundation
import NIOConcurrencyHelpers

/// One open live stream or waiting long-poll: the newest account version it has heard of, the version its device was
/// last told of, and whether (and why) it must end.
///
/// Versions coalesce: however many notices arrive while the subscriber is busy, ``next()`` hands out only the newest,
/// once. An ending wins over everything, and stays.
final class LiveSubscription: Sendable {
    enum Kind: Sendable {
        case stream
        case longPoll
    }

    /// Why a subscription ends (other than the client leaving, which it is not told of).
    enum Ending: Sendable, Equatable {
        /// The token is no longer valid: revoked, its device revoked, its user disabled or erased.
        case signedOut
        /// The server is shutting down: reconnect (to another instance) at once.
        case shutdown
        /// The account opened more streams than it may hold; this was its oldest.
        case replaced
        /// The client went away, or its task was cancelled.
        case disconnected
    }

    enum Signal: Sendable, Equatable {
        /// The account is now at `version`, newer than what the device was told before.
        case changed(version: Int64)
        /// Time to show the connection is alive.
        case heartbeat
        case end(Ending)
    }

    private struct State {
        var told: Int64
        var latest: Int64
        var heartbeatDue = false
        var ending: Ending?
        var waiter: CheckedContinuation<Signal, Never>?

        /// The signal to hand out now, if any, in priority order.
        mutating func take() -> Signal? {
            if let ending { return .end(ending) }
            if latest > told {
                told = latest
                return .changed(version: latest)
            }
            if heartbeatDue {
                heartbeatDue = false
                return .heartbeat
            }
            return nil
        }
    }

    let id: UInt64
    let kind: Kind
    let owner: Identity
    private let state: NIOLockedValueBox<State>

    /// A subscription whose device is at `position` (the version of the cursor it holds).
    init(id: UInt64, kind: Kind, owner: Identity, position: Int64) {
        self.id = id
        self.kind = kind
        self.owner = owner
        self.state = NIOLockedValueBox(State(told: position, latest: position))
    }

    /// The account is at `version` (versions heard out of order are fine: the newest counts).
    func offer(version: Int64) {
        update { $0.latest = max($0.latest, version) }
    }

    /// The device knows the account up to `version` (what it was told another way, such as an empty pull page).
    func acknowledge(version: Int64) {
        update { state in
            state.told = max(state.told, version)
            state.latest = max(state.latest, version)
        }
    }

    /// Rewinds what the device was told to `version`, for a device whose position is ahead of the account (a cursor
    /// from before a restore): only versions newer than `version` count as news from now on.
    func rewind(to version: Int64) {
        update { state in
            state.told = version
            state.latest = max(state.latest, version)
        }
    }

    func requestHeartbeat() {
        update { $0.heartbeatDue = true }
    }

    /// Ends the subscription; the first reason given stands.
    func end(_ ending: Ending) {
        update { state in
            if state.ending == nil { state.ending = ending }
        }
    }

    var ending: Ending? { state.withLockedValue { $0.ending } }

    /// Waits for the next signal: the ending first, then a newer version, then a heartbeat. One caller at a time.
    /// Cancelling the waiting task ends the subscription as `disconnected`.
    func next() async -> Signal {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Signal, Never>) in
                let ready = state.withLockedValue { state -> Signal? in
                    if let signal = state.take() { return signal }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            end(.disconnected)
        }
    }

    private func update(_ change: (inout State) -> Void) {
        let woken = state.withLockedValue { state -> (CheckedContinuation<Signal, Never>, Signal)? in
            change(&state)
            guard let waiter = state.waiter, let signal = state.take() else { return nil }
            state.waiter = nil
            return (waiter, signal)
        }
        if let (waiter, signal) = woken { waiter.resume(returning: signal) }
    }
}
