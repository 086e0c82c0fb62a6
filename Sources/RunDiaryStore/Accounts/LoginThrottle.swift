import Crypto
import Foundation
import Postgres

/// Slows password guessing without letting one party lock out another, with its state in PostgreSQL so that every
/// server instance counts the same failures (an attacker gains nothing by spreading over instances).
///
/// Each failed login counts against several keys; each key allows some free failures, then imposes a growing delay
/// (doubling from one second, capped) before the next attempt under that key; a streak ends after ``window`` without
/// failures. The keys of an attempt depend on whether its device is already known to the account:
///
/// - from a device the account knows (signed in before, not revoked): only (account, device). The owner's phone
///   and tablet keep working whatever happens elsewhere — an attacker would have to know the device's random id;
/// - from any other device: (account, client address) — the ordinary guesser, slowed hard; the client address —
///   credential stuffing across accounts, with a generous allowance because a gym's Wi-Fi or a clinic's NAT puts
///   many people behind one address; and the account as seen from unknown devices — a botnet spreading guesses
///   over addresses, with a short cap so that the owner signing in on a new phone waits at most a minute.
///
/// A successful login clears its own (account, address) or (account, device) streak, never a shared one.
package struct LoginThrottle: Sendable {
    /// How one kind of key slows guesses.
    package struct Tier: Sendable, Hashable {
        /// Failures allowed before any delay.
        package let freeFailures: Int
        /// The longest delay, in seconds.
        package let maxDelaySeconds: Int
        fileprivate let scope: String
    }

    /// (account, client address) from an unknown device.
    package static let accountAndAddress = Tier(freeFailures: 5, maxDelaySeconds: 15 * 60, scope: "account+address")
    /// (account, device) from a device the account knows.
    package static let accountAndKnownDevice = Tier(freeFailures: 10, maxDelaySeconds: 15 * 60, scope: "account+device")
    /// A client address, whatever the account.
    package static let address = Tier(freeFailures: 50, maxDelaySeconds: 15 * 60, scope: "address")
    /// An account, from devices it does not know, whatever the address.
    package static let accountFromUnknownDevices = Tier(freeFailures: 20, maxDelaySeconds: 60, scope: "account")
    /// A streak ends this long after its last failure.
    package static let window: Duration = .seconds(15 * 60)

    /// The keys one login attempt counts against.
    package struct Keys: Sendable {
        fileprivate let entries: [(tier: Tier, key: [UInt8])]
        /// The streaks a success clears: the attempt's own pair, never a shared key.
        fileprivate var own: [[UInt8]] {
            entries.filter { $0.tier == LoginThrottle.accountAndAddress || $0.tier == LoginThrottle.accountAndKnownDevice }
                .map(\.key)
        }
    }

    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// The keys of an attempt on `account` (the normalised e-mail as typed, known or not), from `address`, by a
    /// device the account knows (`knownDevice`) or not.
    package static func keys(account: String, address: String?, knownDevice: UUID?) -> Keys {
        if let knownDevice {
            return Keys(entries: [
                (accountAndKnownDevice, key(accountAndKnownDevice, account, knownDevice.uuidString.lowercased()))
            ])
        }
        var entries = [(accountFromUnknownDevices, key(accountFromUnknownDevices, account))]
        if let address {
            entries.append((accountAndAddress, key(accountAndAddress, account, address)))
            entries.append((Self.address, key(Self.address, address)))
        }
        return Keys(entries: entries)
    }

    /// Whole seconds until `keys` allow another attempt, or nil when they allow one now.
    package func retryAfter(_ keys: Keys) async throws -> Int? {
        let rows = try await client.query(
            """
            SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::int8 FROM login_failures
            WHERE key = ANY(\(keys.entries.map { Data($0.key) })) AND blocked_until > now()
            """)
        guard let seconds = try rows.first?.decode(Int64?.self, at: 0) else { return nil }
        return max(1, Int(seconds))
    }

    /// Counts a failed attempt against every key, and sets the delay each key now imposes.
    package func recordFailure(_ keys: Keys) async throws {
        let window = Int64(Self.window.components.seconds)
        for (tier, key) in keys.entries {
            let free = Int64(tier.freeFailures)
            let cap = Int64(tier.maxDelaySeconds)
            // The delay after the n-th failure of a streak: none up to `free`, then 1 s, 2 s, 4 s, … up to `cap`.
            try await client.execute(
                """
                INSERT INTO login_failures AS f (key, failures, last_failed_at, blocked_until)
                VALUES (\(Data(key)), 1, now(), now() + make_interval(secs => CASE WHEN 1 > \(free) THEN 1 ELSE 0 END))
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN f.last_failed_at < now() - make_interval(secs => \(window)) THEN 1
                                    ELSE f.failures + 1 END,
                    last_failed_at = now(),
                    blocked_until = now() + make_interval(secs => least(\(cap)::float8,
                        CASE WHEN (CASE WHEN f.last_failed_at < now() - make_interval(secs => \(window)) THEN 1
                                        ELSE f.failures + 1 END) > \(free)
                             THEN power(2, least(30, (CASE WHEN f.last_failed_at < now() - make_interval(secs => \(window))
                                                            THEN 1 ELSE f.failures + 1 END) - \(free) - 1))
                             ELSE 0 END))
                """)
        }
    }

    /// Ends the attempt's own streak after a successful login.
    package func recordSuccess(_ keys: Keys) async throws {
        try await client.execute("DELETE FROM login_failures WHERE key = ANY(\(keys.own.map { Data($0) }))")
    }

    /// Removes streaks that ended more than `age` ago; returns how many.
    @discardableResult
    package func prune(olderThan age: Duration = .seconds(24 * 3600)) async throws -> Int {
        let seconds = Int64(age.components.seconds)
        return try await client.execute(
            "DELETE FROM login_failures WHERE last_failed_at < now() - make_interval(secs => \(seconds))")
    }

    private static func key(_ tier: Tier, _ parts: String...) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Data("rundiary login throttle\u{1F}\(tier.scope)".utf8))
        for part in parts { hasher.update(data: Data("\u{1F}\(part)".utf8)) }
        return Array(hasher.finalize())
    }
}
