import Foundation
import RunDiaryStore
import Synchronization

/// Whose each recently seen API token is, by the token's hash, so that a sync push or pull can check its token inside
/// its own first statement (``TokenCheck``) instead of in a round trip of its own.
///
/// Only what never changes is kept: a token belongs to one user and one device for its whole life. Whether it is still
/// valid and whether its owner may make another request are decided by PostgreSQL on every request; a token found
/// invalid is forgotten, and a token whose owner is over the rate is checked on its own again (before the request's
/// body is read) until the `Retry-After` it was given has passed. Holds at most ``capacity`` tokens; the oldest entry
/// makes way for a new one (a token that comes back after that is checked on its own once more).
final class TokenOwnerCache: Sendable {
    /// The most tokens kept: about 100 bytes each, no allocation of their own.
    static let capacity = 16_384

    /// A token's SHA-256 as four words: hashed and stored inline (a `Data` of 32 bytes is an object of its own).
    private struct Key: Hashable {
        let words: (UInt64, UInt64, UInt64, UInt64)

        init(_ hash: Data) {
            var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { buffer in
                buffer.copyBytes(from: hash.prefix(buffer.count))
            }
            self.words = words
        }

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.words == rhs.words }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
            hasher.combine(words.3)
        }
    }

    private struct Entry {
        var owner: AccountStore.TokenOwner
        /// Until then, the token is checked on its own (its owner was told to wait).
        var heldUntil: ContinuousClock.Instant?
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Keys in the order they were added, a ring of ``capacity`` slots: the next to make way is at `next`.
        var order: [Key] = []
        var next = 0
    }

    private let state = Mutex(State())

    /// The owner of the token with this hash, if it is known and not held.
    func owner(of hash: Data, now: ContinuousClock.Instant = .now) -> AccountStore.TokenOwner? {
        let key = Key(hash)
        return state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            if let held = entry.heldUntil, held > now { return nil }
            return entry.owner
        }
    }

    /// Remembers the owner of a token PostgreSQL has just found valid and within its rate.
    func insert(_ owner: AccountStore.TokenOwner, of hash: Data) {
        let key = Key(hash)
        state.withLock { state in
            if state.entries[key] != nil {
                state.entries[key] = Entry(owner: owner, heldUntil: nil)
                return
            }
            if state.order.count < Self.capacity {
                state.order.append(key)
            } else {
                state.entries[state.order[state.next]] = nil
                state.order[state.next] = key
                state.next = (state.next + 1) % Self.capacity
            }
            state.entries[key] = Entry(owner: owner, heldUntil: nil)
        }
    }

    /// Forgets a token found invalid.
    func forget(_ hash: Data) {
        let key = Key(hash)
        _ = state.withLock { $0.entries.removeValue(forKey: key) }
    }

    /// Has the token checked on its own until `instant` (its owner was told to retry after it).
    func hold(_ hash: Data, until instant: ContinuousClock.Instant) {
        let key = Key(hash)
        state.withLock { $0.entries[key]?.heldUntil = instant }
    }

    /// The number of tokens known.
    var count: Int { state.withLock { $0.entries.count } }
}

/// The token check of a request whose route runs it inside its own first statement (``TokenCheck``): the route's
/// store call takes it with ``run(_:)``. ``BearerAuthMiddleware`` checks the token on its own if the route ended
/// without a check that passed.
final class DeferredTokenCheck: Sendable {
    private enum State: Equatable {
        /// Not run, or run by a statement that failed before PostgreSQL could answer it.
        case pending
        case running
        case passed
        case refused(TokenRefusal)
    }

    let check: TokenCheck
    private let state = Mutex(State.pending)

    init(_ check: TokenCheck) {
        self.check = check
    }

    /// Whether a statement ran the check and it passed.
    var passed: Bool { state.withLock { $0 == .passed } }

    /// Runs `body` with the check when it has not run yet (its statement then carries it), else with nil once it
    /// passed: a request is checked and metered once, however many statements it runs (a long-poll reads twice). A
    /// refused check is thrown again.
    func run<Result>(_ body: (TokenCheck?) async throws -> Result) async throws -> Result {
        let before = state.withLock { state in
            defer { if state == .pending { state = .running } }
            return state
        }
        switch before {
        case .passed: return try await body(nil)
        case .refused(let refusal): throw refusal
        // A statement already carrying the check has not answered: this one carries it too (never run unchecked).
        case .pending, .running: break
        }
        do {
            let result = try await body(check)
            state.withLock { $0 = .passed }
            return result
        } catch let refusal as TokenRefusal {
            state.withLock { $0 = .refused(refusal) }
            throw refusal
        } catch let error as SyncStore.PullError {
            // The pull's statement ran (and so its check passed); its cursor was out of range.
            state.withLock { $0 = .passed }
            throw error
        } catch {
            state.withLock { $0 = .pending }
            throw error
        }
    }
}
