import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("The connection pool lends one connection to one task at a time")
struct PoolTests {
    @Test func fiftyTasksShareFourConnections() async throws {
        let application = "pooltest-\(UUID().uuidString.prefix(8))"
        var url = URLComponents(string: try TestDatabase.adminURL)!
        url.queryItems = (url.queryItems ?? []) + [URLQueryItem(name: "application_name", value: application)]
        let tracker = ConcurrencyTracker()
        try await TestDatabase.withClient(url: url.string!, maxConnections: 4) { client in
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for task in 0..<50 {
                    group.addTask {
                        try await client.withConnection { connection in
                            await tracker.enter()
                            let row = try await connection.query(
                                "SELECT pg_backend_pid(), \(task)::int4, pg_sleep(0.01)::text"
                            ).single()
                            await tracker.leave()
                            let (pid, echoed) = try row.decode((Int32, Int32).self)
                            #expect(echoed == Int32(task))
                            return pid
                        }
                    }
                }
                return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
            }
            #expect(pids.count <= 4)
            #expect(await tracker.peak <= 4)
            let open = try await TestDatabase.withClient { admin in
                try await admin.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = \(application)")
                    .single().decode(Int.self, at: 0)
            }
            #expect(open <= 4)
        }
    }

    /// The pool lends all of its connections at once: four tasks each hold one and wait for each other while holding
    /// it. A pool that lent fewer at a time would never let the fourth in, and the barrier would give up on it (after
    /// 120 s) and fail the test. (No time limit of its own: one counts the wait for a database slot too, which on a
    /// busy machine was over a minute.)
    @Test func fourTasksHoldFourConnectionsAtOnce() async throws {
        try await TestDatabase.withClient(maxConnections: 4) { client in
            let together = AsyncBarrier(count: 4)
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await client.withConnection { connection in
                            try await together.arriveAndWait()
                            return try await connection.query("SELECT pg_backend_pid()").single().decode(Int32.self, at: 0)
                        }
                    }
                }
                return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
            }
            #expect(pids.count == 4)
        }
    }

    /// With `maxWaiting`, the queue for a connection is bounded: one connection lent out, one task waiting, the next
    /// task is turned away at once with `poolBusy` (it would otherwise wait for the holder, which never lets go by
    /// itself); the waiting task still gets the connection when the holder gives it back, and then the queue has room.
    @Test func aFullQueueTurnsTheNextTaskAwayAtOnce() async throws {
        try await TestDatabase.withClient(maxConnections: 1, maxWaiting: 1) { client in
            let holding = AsyncBarrier(count: 2)
            let release = AsyncBarrier(count: 2)
            let holder = Task {
                try await client.withConnection { connection in
                    try await holding.arriveAndWait()
                    try await release.arriveAndWait()
                    return try await connection.query("SELECT 1::int4").single().decode(Int32.self, at: 0)
                }
            }
            try await holding.arriveAndWait()
            let waiter = Task { try await client.withConnection { _ in "waited" } }
            while client.poolUsage.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
            await #expect {
                try await client.withConnection { _ in "queued beyond the bound" }
            } throws: { error in
                (error as? PostgresError)?.code == .poolBusy
            }
            #expect(client.poolUsage.waiting == 1, "the turned-away task left no trace in the queue")
            try await release.arriveAndWait()
            #expect(try await holder.value == 1)
            #expect(try await waiter.value == "waited")
            #expect(try await client.withConnection { _ in "room again" } == "room again")
        }
    }

    @Test func waitingForAConnectionHonoursCancellation() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            let holding = AsyncBarrier(count: 2)
            let holder = Task {
                try await client.withConnection { connection in
                    try await holding.arriveAndWait()
                    // Held until the holder is cancelled below, however slow the machine: never released by time.
                    _ = try await connection.query("SELECT pg_sleep(120)")
                }
            }
            try await holding.arriveAndWait()
            let waiter = Task { try await client.withConnection { _ in "got one" } }
            try await Task.sleep(for: .milliseconds(50))
            // Were cancellation ignored, the waiter would get the connection once the holder's statement ends.
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            holder.cancel()
            _ = try? await holder.value
            // The pool is still usable after both cancellations.
            let value = try await client.query("SELECT 7::int4").single().decode(Int32.self, at: 0)
            #expect(value == 7)
        }
    }

    @Test func cancellingATaskCancelsItsRunningStatement() async throws {
        try await TestDatabase.withClient(maxConnections: 1) { client in
            let task = Task { try await client.query("SELECT pg_sleep(30)") }
            // Cancel only once the statement is running on the server. The wait is bounded (a guard, not a measure):
            // a task that failed before it sent the statement would otherwise be waited for forever.
            try await TestDatabase.withClient(maxConnections: 1) { admin in
                let deadline = ContinuousClock.now + .seconds(120)
                while try await admin.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()"
                ).single().decode(Int.self, at: 0) == 0 {
                    guard ContinuousClock.now < deadline else {
                        task.cancel()
                        throw TestSetupError("the statement never ran: \(String(describing: await task.result))")
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            task.cancel()
            let error = await #expect(throws: PostgresError.self) { try await task.value }
            // Were the statement not cancelled on the server, it would end without an error.
            #expect(error?.isQueryCanceled == true)
            #expect(try await client.query("SELECT 1::int4").single().decode(Int32.self, at: 0) == 1)
        }
    }

    @Test func aClientThatStoppedRefusesWork() async throws {
        let client = try await TestDatabase.withClient(maxConnections: 2) { client in
            _ = try await client.query("SELECT 1")
            return client
        }
        let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(error?.code == .poolClosed)
    }
}

actor ConcurrencyTracker {
    private var current = 0
    private(set) var peak = 0

    func enter() {
        current += 1
        peak = max(peak, current)
    }

    func leave() { current -= 1 }
}
