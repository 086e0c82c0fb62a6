import Foundation
import Postgres
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryStore

/// A push or pull that checks its token inside its own first statement (``TokenCheck``): it does its work when the
/// token is valid and within its rate, and otherwise refuses having locked, written and returned nothing.
@Suite("Token checks folded into a push's and a pull's first statement")
struct TokenCheckTests {
    static let now = Date(timeIntervalSince1970: 1_764_000_200)

    /// A user with one device and a token for it, and the check a server that knows whose the token is would send.
    static func account(_ client: PostgresClient, rate: RequestRate?) async throws
        -> (check: TokenCheck, accounts: AccountStore)
    {
        let (user, device) = try await PulledChangeTests.newAccount(client)
        let accounts = AccountStore(client: client)
        let (token, _) = try await accounts.issueToken(userID: user, deviceID: device, deviceName: "Phone", platform: "ios")
        let owner = try #require(try await accounts.owner(ofToken: token.text))
        #expect(owner.userID == user && owner.deviceID == device)
        try await client.execute("UPDATE tokens SET last_used_at = NULL WHERE user_id = \(user)")
        return (TokenCheck(tokenHash: token.hash, owner: owner, rate: rate), accounts)
    }

    static func gear(_ mutationID: Int64, device: UUID) -> Mutation {
        Mutation(
            mutationID: mutationID, entity: .gear, id: UUID(), op: .upsert,
            hlc: HLC(physicalMillis: 1_764_000_000_000 + mutationID, counter: 0, node: device), fields: ["name": "Shoe"])
    }

    /// A push of one new shoe as mutation `mutationID` of the check's device, carrying `check`.
    static func push(_ store: SyncStore, _ check: TokenCheck, mutationID: Int64) async throws -> SyncStore.PushOutcome {
        try await store.push(
            userID: check.owner.userID, deviceID: check.owner.deviceID,
            mutations: [gear(mutationID, device: check.owner.deviceID)], now: now, maxClockSkewSeconds: 300, check: check)
    }

    /// A pull of the check's device after `cursor`, carrying `check`.
    static func pull(_ store: SyncStore, _ check: TokenCheck, after cursor: SyncCursor?) async throws -> SyncStore.PullPage {
        try await store.pull(
            userID: check.owner.userID, deviceID: check.owner.deviceID, after: cursor, limit: 10, form: .shared, check: check)
    }

    /// What a refused request must leave as it was: the user's counter and records, the device's acknowledgements
    /// and recorded cursor, and the owner's allowance.
    static func footprint(_ client: PostgresClient, _ owner: AccountStore.TokenOwner) async throws -> String {
        try await client.query(
            """
            SELECT concat_ws(' ', u.version, d.last_mutation_id, d.last_pulled_version, d.last_pulled_at,
                             (SELECT count(*) FROM gear g WHERE g.user_id = u.id),
                             (SELECT next_at FROM request_allowances a WHERE a.user_id = u.id))
            FROM users u JOIN devices d ON d.user_id = u.id
            WHERE u.id = \(owner.userID) AND d.id = \(owner.deviceID)
            """
        ).single().decode(String.self, at: 0)
    }

    @Test func aValidTokenWithinItsRatePushesAndPullsAndIsMeteredOnceEach() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let (check, _) = try await Self.account(client, rate: RequestRate(perSecond: 0.001, burst: 3))
            let owner = check.owner
            let store = SyncStore(client: client)
            let pushed = try await Self.push(store, check, mutationID: 1)
            #expect(pushed.results.map(\.status) == [.applied])
            // The token's first use is recorded (it had none).
            let used = try await client.query("SELECT last_used_at IS NOT NULL FROM tokens WHERE user_id = \(owner.userID)")
            #expect(try used.single().decode(Bool.self, at: 0))
            let page = try await Self.pull(store, check, after: nil)
            #expect(page.count == 1)
            // Two requests taken of a burst of three, one interval (1,000 s) each: the allowance is two intervals on.
            let ahead = try await client.query(
                "SELECT extract(epoch FROM next_at - now())::float8 FROM request_allowances WHERE user_id = \(owner.userID)"
            ).single().decode(Double.self, at: 0)
            #expect(ahead > 1_990 && ahead <= 2_000, "\(ahead)")
        }
    }

    @Test func aRequestOverTheRateIsRefusedHavingDoneNothing() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let (check, _) = try await Self.account(client, rate: RequestRate(perSecond: 0.001, burst: 2))
            let owner = check.owner
            let store = SyncStore(client: client)
            _ = try await Self.push(store, check, mutationID: 1)
            let cursor = try await Self.pull(store, check, after: nil).cursor
            let before = try await Self.footprint(client, owner)
            do {
                _ = try await Self.push(store, check, mutationID: 2)
                Issue.record("a push over the rate was not refused")
            } catch let refusal as TokenRefusal {
                guard case .rateLimited(let seconds) = refusal else { throw refusal }
                // The allowance is full again in 1,000 s.
                #expect(seconds > 990 && seconds <= 1_000, "\(seconds)")
            }
            await #expect(throws: TokenRefusal.self) { try await Self.pull(store, check, after: cursor) }
            #expect(try await Self.footprint(client, owner) == before)
        }
    }

    @Test(arguments: ["token revoked", "device revoked", "user disabled", "user erased"])
    func anInvalidTokenIsRefusedHavingDoneNothing(_ how: String) async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let (check, accounts) = try await Self.account(client, rate: RequestRate(perSecond: 100, burst: 100))
            let owner = check.owner
            let store = SyncStore(client: client)
            _ = try await Self.push(store, check, mutationID: 1)
            let cursor = try await Self.pull(store, check, after: nil).cursor
            switch how {
            case "token revoked": #expect(try await accounts.revokeToken(userID: owner.userID, tokenID: owner.tokenID))
            case "device revoked": #expect(try await accounts.revokeDevice(userID: owner.userID, deviceID: owner.deviceID))
            case "user disabled": try await client.execute("UPDATE users SET disabled_at = now() WHERE id = \(owner.userID)")
            default: try await client.execute("DELETE FROM tokens WHERE user_id = \(owner.userID)")
            }
            // The allowance too: a check that finds no valid token takes none.
            let before = try await Self.footprint(client, owner)
            for rate in [check.rate, nil] {
                let presented = TokenCheck(tokenHash: check.tokenHash, owner: owner, rate: rate)
                await #expect(throws: TokenRefusal.invalid) { try await Self.push(store, presented, mutationID: 2) }
                await #expect(throws: TokenRefusal.invalid) { try await Self.pull(store, presented, after: cursor) }
            }
            let after = try await Self.footprint(client, owner)
            #expect(after == before)
        }
    }
}
