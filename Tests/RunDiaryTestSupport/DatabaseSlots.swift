import Foundation

/// How many tests use the suite's PostgreSQL cluster at once.
///
/// Swift Testing starts every test of the run at once, and each test that needs a database creates, migrates and
/// connects to one of its own (and many start a server with a pool of their own): on a fast machine the suite reached
/// PostgreSQL's `max_connections`, tests failed with "too many clients", and waits that assumed a working connection
/// never ended. A test now takes a slot before it connects, for as long as it holds a database or a client of the
/// cluster, so the cluster's load is bounded by this count on any machine, whatever its number of cores.
///
/// A slot is held by a task and everything it starts (child tasks and `Task {}` inherit it): a test that nests a
/// second database inside the first, or connects as admin while it holds one, does not wait for a slot of its own,
/// so nesting can never deadlock. `RUNDIARY_TEST_DATABASE_SLOTS` overrides the count.
///
/// A test's time limit also counts its wait for a slot, which in a full run can be two minutes: a test that takes a
/// slot has a limit of at least 5 minutes (its own waits fail sooner, saying what they waited for).
public actor DatabaseSlots {
    /// The slots of the test process.
    public static let shared = DatabaseSlots(count: defaultCount)

    /// 16 slots: each holds at most about 20 connections (a test's pool of 8, a server's pool of 4 and its listener,
    /// the commands it runs), so the suite stays well under the cluster's `max_connections` of 400 (see deploy/dev).
    static var defaultCount: Int {
        if let text = ProcessInfo.processInfo.environment["RUNDIARY_TEST_DATABASE_SLOTS"], let count = Int(text),
            count > 0
        {
            return count
        }
        return 16
    }

    /// Whether the current task already holds a slot.
    @TaskLocal static var isHeld = false

    private var free: Int
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiter = 0

    init(count: Int) { free = count }

    /// Runs `body` holding a slot: the one the current task already holds, or a new one, waited for in arrival order.
    public static func withSlot<T>(_ body: () async throws -> T) async throws -> T {
        if isHeld { return try await body() }
        try await shared.acquire()
        do {
            let result = try await $isHeld.withValue(true) { try await body() }
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async throws {
        if free > 0, waiters.isEmpty {
            free -= 1
            return
        }
        let id = nextWaiter
        nextWaiter += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            // The slot passes straight to the first waiter.
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancel(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
