import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import RunDiaryTestSupport
import Testing

@testable import Postgres

/// The pool grows one connection at a time, however many tasks arrive at once, and still reaches its size while
/// tasks keep waiting.
@Suite("The connection pool opens one connection at a time")
struct PoolGrowthTests {
    /// How many `connect` calls run at once, at most.
    final class Opens: Sendable {
        private let counts = NIOLockedValueBox((now: 0, most: 0, total: 0))
        func enter() {
            counts.withLockedValue {
                $0.now += 1; $0.total += 1; $0.most = max($0.most, $0.now)
            }
        }
        func leave() { counts.withLockedValue { $0.now -= 1 } }
        var most: Int { counts.withLockedValue { $0.most } }
        var total: Int { counts.withLockedValue { $0.total } }
    }

    /// A pool of `size` connections to the test database; each opening is counted in `opens` and takes `delay`.
    static func countedPool(_ size: Int, threads: NIOThreadPool, opens: Opens, delay: Duration) throws -> ConnectionPool {
        let url = try TestDatabase.adminURL
        return ConnectionPool(maxConnections: size) {
            opens.enter()
            defer { opens.leave() }
            try await Task.sleep(for: delay)
            return try await PostgresConnection.connect(to: url, applicationName: "pool-growth-test", threadPool: threads)
        }
    }

    /// The backend process id each of `tasks` tasks started at once was lent, each holding its connection `seconds`.
    static func backends(of tasks: Int, holding seconds: Double, from pool: ConnectionPool) async throws -> [Int32] {
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    let connection = try await pool.lease()
                    do {
                        let pid = try await connection.query("SELECT pg_backend_pid(), pg_sleep(\(seconds))").single().decode(
                            Int32.self, at: 0)
                        await pool.release(connection)
                        return pid
                    } catch {
                        await pool.release(connection)
                        throw error
                    }
                }
            }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
    }

    @Test func aBurstOpensConnectionsOneAtATimeAndTheWaitersShareThem() async throws {
        let threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        let opens = Opens()
        // Slow enough that a pool opening connections side by side would have several in flight.
        let pool = try Self.countedPool(4, threads: threads, opens: opens, delay: .milliseconds(40))
        // Twelve tasks at once, each holding its connection a moment.
        let pids = try await Self.backends(of: 12, holding: 0.02, from: pool)
        #expect(pids.count == 12)
        #expect(opens.most == 1, "connections opened side by side: \(opens.most)")
        #expect(opens.total >= 2 && opens.total <= 4, "the pool grew while tasks waited: \(opens.total) opened")
        #expect(Set(pids).count == opens.total)
        await pool.close()
        try await threads.shutdownGracefully()
    }

    /// While one connection is being opened and the others are lent out, a task is served by the first connection
    /// to come back — it does not wait for the opening, which here never ends.
    @Test func aWaiterTakesAReturnedConnectionWhileAnotherIsBeingOpened() async throws {
        let url = try TestDatabase.adminURL
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let stuck = NIOLockedValueBox(false)
        let pool = ConnectionPool(maxConnections: 2) {
            if stuck.withLockedValue({ $0 }) {
                // The second connection's opening hangs until the test ends.
                try await Task.sleep(for: .seconds(600))
            }
            stuck.withLockedValue { $0 = true }
            return try await PostgresConnection.connect(to: url, applicationName: "pool-growth-test", threadPool: threads)
        }
        let first = try await pool.lease()
        let opening = Task { try await pool.lease() }  // gets the permit and hangs in connect
        while pool.usage.inUse < 2 { try await Task.sleep(for: .milliseconds(5)) }
        let waiter = Task { () -> Int32 in
            let connection = try await pool.lease()
            let value = try await connection.query("SELECT 7::int4").single().decode(Int32.self, at: 0)
            await pool.release(connection)
            return value
        }
        while pool.usage.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
        await pool.release(first)
        #expect(try await waiter.value == 7)
        opening.cancel()
        _ = try? await opening.value
        await pool.close()
        try await threads.shutdownGracefully()
    }

    @Test func idleConnectionsAreLentLeastRecentlyUsedFirst() async throws {
        let url = try TestDatabase.adminURL
        let threads = NIOThreadPool(numberOfThreads: 3)
        threads.start()
        let pool = ConnectionPool(maxConnections: 3) {
            try await PostgresConnection.connect(to: url, applicationName: "pool-order-test", threadPool: threads)
        }
        func pid(_ connection: PostgresConnection) async throws -> Int32 {
            try await connection.query("SELECT pg_backend_pid()").single().decode(Int32.self, at: 0)
        }
        let held = [try await pool.lease(), try await pool.lease(), try await pool.lease()]
        var returned: [Int32] = []
        for connection in held {
            returned.append(try await pid(connection))
            await pool.release(connection)
        }
        // One task at a time: each lease takes the connection idle the longest, which then goes to the back.
        var lent: [Int32] = []
        for _ in 0..<6 {
            let connection = try await pool.lease()
            lent.append(try await pid(connection))
            await pool.release(connection)
        }
        #expect(Set(returned).count == 3)
        #expect(lent == returned + returned, "lent \(lent), returned \(returned)")
        await pool.close()
        try await threads.shutdownGracefully()
    }

    @Test func fillOpensThePoolOneConnectionAtATimeAndLendsThemAfterwards() async throws {
        let threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        let opens = Opens()
        let pool = try Self.countedPool(4, threads: threads, opens: opens, delay: .milliseconds(20))
        try await pool.fill()
        #expect(opens.total == 4 && opens.most == 1, "opened \(opens.total), at most \(opens.most) at once")
        #expect(pool.usage == PostgresPoolUsage(inUse: 0, idle: 4, waiting: 0))
        try await pool.fill()
        #expect(opens.total == 4, "a full pool opens no more")
        // Four tasks at once find the four connections open.
        let pids = try await Self.backends(of: 4, holding: 0.05, from: pool)
        #expect(Set(pids).count == 4)
        #expect(opens.total == 4)
        await pool.close()
        try await threads.shutdownGracefully()
    }

    @Test func fillThrowsWhenItCannotConnectAndThePoolStillGrowsOnDemand() async throws {
        let url = try TestDatabase.adminURL
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let failFirst = NIOLockedValueBox(true)
        let pool = ConnectionPool(maxConnections: 2) {
            if failFirst.withLockedValue({ state in
                defer { state = false }; return state
            }) {
                throw PostgresError(code: .connectionFailed, message: "refused")
            }
            return try await PostgresConnection.connect(to: url, applicationName: "pool-fill-test", threadPool: threads)
        }
        await #expect(throws: PostgresError.self) { try await pool.fill() }
        #expect(pool.usage == PostgresPoolUsage(inUse: 0, idle: 0, waiting: 0))
        let connection = try await pool.lease()
        #expect(try await connection.query("SELECT 1").single().decode(Int.self, at: 0) == 1)
        await pool.release(connection)
        await pool.close()
        try await threads.shutdownGracefully()
    }
}
