import Foundation
import HTTPTypes
import NIOConcurrencyHelpers

/// The live streams and waiting long-polls open on this server instance, by account: where a change notice is
/// delivered, and where the limits are kept.
///
/// - An account holds at most `streamsPerAccount` streams: opening one more closes its oldest (most likely a
///   connection its device abandoned without closing, such as a phone that changed networks).
/// - The instance holds at most `maximumOpen` streams and long-polls together; beyond it, ``open(_:owner:position:)``
///   refuses with 503 `too_many_streams` and `Retry-After`.
public final class LiveRegistry: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        /// Each account's subscriptions, oldest first.
        var byAccount: [UUID: [LiveSubscription]] = [:]
        var streams = 0
        var longPolls = 0
    }

    private let state = NIOLockedValueBox(State())
    private let streamsPerAccount: Int
    private let maximumOpen: Int

    init(streamsPerAccount: Int, maximumOpen: Int) {
        self.streamsPerAccount = streamsPerAccount
        self.maximumOpen = maximumOpen
    }

    /// Streams open now.
    public var openStreams: Int { state.withLockedValue { $0.streams } }
    /// Long-polls waiting now.
    public var waitingLongPolls: Int { state.withLockedValue { $0.longPolls } }

    /// Registers a subscription of a device at `position`; closes the account's oldest stream when it would hold too
    /// many. Throws 503 `too_many_streams` when the instance is full.
    func open(_ kind: LiveSubscription.Kind, owner: Identity, position: Int64) throws -> LiveSubscription {
        let (subscription, replaced) = try state.withLockedValue { state -> (LiveSubscription, LiveSubscription?) in
            guard state.streams + state.longPolls < maximumOpen else { throw APIError.liveCapacityReached }
            state.nextID += 1
            let subscription = LiveSubscription(id: state.nextID, kind: kind, owner: owner, position: position)
            var replaced: LiveSubscription?
            var subscriptions = state.byAccount[owner.userID] ?? []
            if kind == .stream, subscriptions.count(where: { $0.kind == .stream }) >= streamsPerAccount,
                let oldest = subscriptions.firstIndex(where: { $0.kind == .stream })
            {
                replaced = subscriptions.remove(at: oldest)
                state.streams -= 1
            }
            subscriptions.append(subscription)
            state.byAccount[owner.userID] = subscriptions
            if kind == .stream { state.streams += 1 } else { state.longPolls += 1 }
            return (subscription, replaced)
        }
        replaced?.end(.replaced)
        return subscription
    }

    /// Forgets a subscription (once it has ended); removing it twice is harmless.
    func remove(_ subscription: LiveSubscription) {
        state.withLockedValue { state in
            let userID = subscription.owner.userID
            guard var subscriptions = state.byAccount[userID],
                let index = subscriptions.firstIndex(where: { $0 === subscription })
            else { return }
            subscriptions.remove(at: index)
            state.byAccount[userID] = subscriptions.isEmpty ? nil : subscriptions
            if subscription.kind == .stream { state.streams -= 1 } else { state.longPolls -= 1 }
        }
    }

    /// Tells every subscriber of the account that it is at `version`.
    func offer(userID: UUID, version: Int64) {
        for subscription in state.withLockedValue({ $0.byAccount[userID] ?? [] }) {
            subscription.offer(version: version)
        }
    }

    /// Tells the subscribers of each account its current version.
    func offer(_ versions: [UUID: Int64]) {
        for (userID, version) in versions { offer(userID: userID, version: version) }
    }

    /// The accounts with a subscriber now.
    var accounts: [UUID] { state.withLockedValue { Array($0.byAccount.keys) } }

    /// The tokens the open streams were opened with, each once.
    var streamTokens: [(userID: UUID, tokenID: UUID)] {
        let owners = state.withLockedValue { state in
            Set(state.byAccount.values.joined().filter { $0.kind == .stream }.map(\.owner))
        }
        return owners.map { ($0.userID, $0.tokenID) }
    }

    /// Ends, as signed out, every subscription opened with one of these tokens.
    func signOut(tokenIDs: Set<UUID>) {
        guard !tokenIDs.isEmpty else { return }
        let ending = state.withLockedValue { state in
            state.byAccount.values.joined().filter { tokenIDs.contains($0.owner.tokenID) }
        }
        for subscription in ending { subscription.end(.signedOut) }
    }

    /// Asks every stream to show it is alive.
    func requestHeartbeats() {
        for subscription in state.withLockedValue({ Array($0.byAccount.values.joined()) }) where subscription.kind == .stream {
            subscription.requestHeartbeat()
        }
    }
}

extension APIError {
    /// 503 `too_many_streams`: the instance holds as many streams and long-polls as it may.
    static let liveCapacityReached = APIError(
        .serviceUnavailable, code: "too_many_streams",
        detail: "This server holds as many live streams and long-polls as it may; try again later or another server.",
        headers: [.retryAfter: "10"])
}
