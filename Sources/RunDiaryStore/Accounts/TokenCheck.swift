import Foundation
import Postgres

/// The check of a presented API token — valid (the `valid_tokens` view, migration 0009) and, with a ``RequestRate``,
/// within its owner's allowance (`request_allowances`, migration 0010) — as clauses any statement can begin with.
///
/// ``AccountStore/owner(ofTokenHash:metering:)`` runs it alone. A sync push or pull runs it inside its own first
/// statement (``SyncStore/pull(userID:deviceID:after:limit:form:check:)``, ``SyncStore/push(userID:deviceID:mutations:now:maxClockSkewSeconds:check:)``)
/// when the server already knows whose the token is: a token's owner never changes, so only its validity and the
/// allowance must be decided again, and PostgreSQL decides them in that statement, which then does nothing unless the
/// check passed. A sync tick so saves two of its five round trips (docs/benchmarks.md).
package struct TokenCheck: Sendable, Hashable {
    /// The SHA-256 of the presented token (``AccessToken/hash``).
    package let tokenHash: Data
    /// Whose the token was when it was last found valid.
    package let owner: AccountStore.TokenOwner
    /// The owner's request rate, or nil for a check that meters nothing.
    package let rate: RequestRate?

    package init(tokenHash: Data, owner: AccountStore.TokenOwner, rate: RequestRate?) {
        self.tokenHash = tokenHash
        self.owner = owner
        self.rate = rate
    }

    /// Two common table expressions (to follow `WITH`, before a statement's own): `owner`, the token's row if it is
    /// valid (`user_id`, `device_id`, `id`, and `stale`: its last use is to be recorded, ``touch(userID:deviceID:tokenID:)``),
    /// and `taken`, the owner's `user_id` if the request is allowed.
    ///
    /// The allowance is a generic cell rate algorithm: one timestamp per user, `next_at`, the time at which the
    /// user's allowance is full again; a request is allowed while `next_at` is at most the burst's worth of intervals
    /// ahead of now, and moves it on by one interval. A refused request moves nothing. ON CONFLICT … DO UPDATE
    /// re-checks its WHERE against the latest version of the row, under its lock, so concurrent requests of one user
    /// (on any instance) are metered one after another; a statement that goes on to write holds that lock until it
    /// commits. The table is UNLOGGED: a crash forgets the allowances, which only lets a burst through.
    ///
    /// With a `known` owner, the token's row is found by its primary key as well as its hash, so that the statement
    /// names the one account it touches (on Citus, it is routed to that account's shard group: docs/scaling.md).
    static func clauses(tokenHash: Data, known: AccountStore.TokenOwner? = nil, rate: RequestRate?) -> PostgresQuery {
        let account: PostgresQuery = known.map { "AND t.user_id = \($0.userID) AND t.id = \($0.tokenID)" } ?? ""
        let owner: PostgresQuery = """
            owner AS (
                SELECT t.user_id, t.device_id, t.id,
                       t.last_used_at < now() - interval '1 minute' OR t.last_used_at IS NULL AS stale
                FROM valid_tokens t
                WHERE t.token_hash = \(tokenHash) \(account)
            )
            """
        guard let rate else { return "\(owner), taken AS (SELECT user_id FROM owner)" }
        return """
            \(owner), taken AS (
                INSERT INTO request_allowances AS a (user_id, next_at)
                SELECT user_id, now() + make_interval(secs => \(rate.interval)) FROM owner
                ON CONFLICT (user_id) DO UPDATE
                SET next_at = greatest(a.next_at, now()) + make_interval(secs => \(rate.interval))
                WHERE a.next_at <= now() + make_interval(secs => \(rate.tolerance))
                RETURNING a.user_id
            )
            """
    }

    /// The clauses of this check (``clauses(tokenHash:rate:)``).
    var clauses: PostgresQuery { Self.clauses(tokenHash: tokenHash, known: owner, rate: rate) }

    /// A condition true when the check passed; a statement that carries the check reads and writes nothing of the
    /// account unless it holds (with the check's owner, so that the account the statement names is the token's).
    var passed: PostgresQuery { "EXISTS (SELECT 1 FROM taken WHERE user_id = \(owner.userID))" }

    /// A column: whether the token's last use is to be recorded (``touch(userID:deviceID:tokenID:)``).
    static let staleColumn: PostgresQuery = "(SELECT stale FROM owner)"

    /// Records that a token was used: its `last_used_at` and its device's `last_seen_at`. Kept to the minute (the
    /// check's `stale`), so that a busy device does not write on every request.
    static func touch(userID: UUID, deviceID: UUID, tokenID: UUID) -> PostgresQuery {
        """
        WITH touched AS (UPDATE tokens SET last_used_at = now() WHERE user_id = \(userID) AND id = \(tokenID))
        UPDATE devices SET last_seen_at = now() WHERE user_id = \(userID) AND id = \(deviceID)
        """
    }

    /// Why a statement carrying this check did nothing (it returned no row): the token is no longer valid, or its
    /// owner's allowance is spent (then the whole seconds until it is not, read now: at least one).
    func refusal(on client: PostgresClient) async throws -> TokenRefusal {
        let wait: PostgresQuery = rate.map(Self.secondsToWait) ?? "NULL::float8"
        let rows = try await client.queryByKey(
            """
            WITH \(Self.clauses(tokenHash: tokenHash, known: owner, rate: nil))
            SELECT \(wait) FROM owner o
            """)
        guard let row = rows.first else { return .invalid }
        return .rateLimited(retryAfter: Self.retryAfter(seconds: try row.decode(Double?.self, at: 0) ?? 1))
    }

    /// A column of a statement over `owner o`: the seconds until the owner's allowance admits a request again, as
    /// the statement's snapshot has it (a row another request has just made may not be in it: then one interval).
    static func secondsToWait(_ rate: RequestRate) -> PostgresQuery {
        """
        coalesce((SELECT extract(epoch FROM a.next_at - now())::float8 - \(rate.tolerance)
                  FROM request_allowances a WHERE a.user_id = o.user_id), \(rate.interval))
        """
    }

    /// Whole seconds to wait, at least one.
    static func retryAfter(seconds: Double) -> Int {
        max(1, Int(seconds.rounded(.up)))
    }
}

/// Why a request's token check refused it.
package enum TokenRefusal: Error, Sendable, Equatable {
    /// The token is not valid (revoked, its device revoked, its user disabled or erased): 401.
    case invalid
    /// The owner's requests are over their rate: 429 with `Retry-After` (whole seconds).
    case rateLimited(retryAfter: Int)
}
