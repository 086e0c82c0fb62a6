import Foundation
import RunDiaryStore
import Testing

@testable import RunDiaryServer

@Suite("What the server keeps of tokens it has checked")
struct TokenOwnerCacheTests {
    static func owner() -> AccountStore.TokenOwner {
        AccountStore.TokenOwner(userID: UUID(), deviceID: UUID(), tokenID: UUID())
    }

    static func hash(_ number: Int) -> Data {
        AccessToken.hash("rdt_\(number)")
    }

    @Test func theOldestTokenMakesWayWhenTheCacheIsFull() {
        let cache = TokenOwnerCache()
        let owners = (0...TokenOwnerCache.capacity).map { _ in Self.owner() }
        for (number, owner) in owners.enumerated() { cache.insert(owner, of: Self.hash(number)) }
        #expect(cache.count == TokenOwnerCache.capacity)
        #expect(cache.owner(of: Self.hash(0)) == nil)
        #expect(cache.owner(of: Self.hash(1)) == owners[1])
        #expect(cache.owner(of: Self.hash(TokenOwnerCache.capacity)) == owners[TokenOwnerCache.capacity])
        // A token inserted again keeps its place; the next new one evicts the next oldest.
        cache.insert(owners[1], of: Self.hash(1))
        cache.insert(Self.owner(), of: Self.hash(-1))
        #expect(cache.count == TokenOwnerCache.capacity)
        #expect(cache.owner(of: Self.hash(1)) == nil)
        #expect(cache.owner(of: Self.hash(2)) == owners[2])
    }

    @Test func aForgottenTokenIsUnknownAndAHeldOneIsUnknownUntilItsTime() {
        let cache = TokenOwnerCache()
        let (one, two) = (Self.owner(), Self.owner())
        cache.insert(one, of: Self.hash(1))
        cache.insert(two, of: Self.hash(2))
        cache.forget(Self.hash(1))
        #expect(cache.owner(of: Self.hash(1)) == nil)
        let now = ContinuousClock.now
        cache.hold(Self.hash(2), until: now + .seconds(30))
        #expect(cache.owner(of: Self.hash(2), now: now) == nil)
        #expect(cache.owner(of: Self.hash(2), now: now + .seconds(31)) == two)
        // Found within its rate again: no longer held.
        cache.insert(two, of: Self.hash(2))
        #expect(cache.owner(of: Self.hash(2), now: now) == two)
    }

    @Test func aRequestRunsItsCheckInOneStatementAndNeverRunsUnchecked() async throws {
        let check = DeferredTokenCheck(TokenCheck(tokenHash: Self.hash(1), owner: Self.owner(), rate: nil))
        struct Broken: Error {}
        // A statement that failed before PostgreSQL answered: the next one carries the check again.
        await #expect(throws: Broken.self) {
            try await check.run { carried in
                #expect(carried != nil)
                throw Broken()
            }
        }
        #expect(!check.passed)
        #expect(try await check.run { $0 } != nil)
        #expect(check.passed)
        // Once passed, later statements of the request (a long-poll's second read) carry none.
        #expect(try await check.run { $0 } == nil)

        let refused = DeferredTokenCheck(TokenCheck(tokenHash: Self.hash(2), owner: Self.owner(), rate: nil))
        await #expect(throws: TokenRefusal.invalid) { try await refused.run { _ in throw TokenRefusal.invalid } }
        await #expect(throws: TokenRefusal.invalid) {
            try await refused.run { _ in Issue.record("a refused request ran a statement") }
        }
        #expect(!refused.passed)
    }
}
