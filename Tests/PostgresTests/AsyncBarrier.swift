import Foundation

/// Lets `count` tasks wait for each other.
///
/// A barrier never waits forever: a waiting task that is cancelled stops waiting (when one task of a group fails
/// before it arrives, the group cancels the others), and a wait that outlasts `limit` throws — an unstructured task
/// that failed before it arrived cancels nobody, and the test must end with an error rather than hang. The limit is
/// a guard against such a hang, far above any real wait; it measures nothing.
actor AsyncBarrier {
    struct NeverReached: Error, CustomStringConvertible {
        let arrived: Int
        let count: Int
        var description: String { "only \(arrived) of \(count) tasks reached the barrier (one failed before it?)" }
    }

    private let count: Int
    private let limit: Duration
    private var arrived = 0
    private var waiting: [Int: CheckedContinuation<Void, any Error>] = [:]
    private var nextWaiter = 0

    init(count: Int, limit: Duration = .seconds(120)) {
        self.count = count
        self.limit = limit
    }

    func arriveAndWait() async throws {
        arrived += 1
        if arrived == count {
            waiting.values.forEach { $0.resume() }
            waiting = [:]
            return
        }
        let waiter = nextWaiter
        nextWaiter += 1
        let guardTask = Task { [limit] in
            try await Task.sleep(for: limit)
            self.release(waiter, throwing: NeverReached(arrived: self.arrived, count: self.count))
        }
        defer { guardTask.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting[waiter] = continuation
                }
            }
        } onCancel: {
            Task { await self.release(waiter, throwing: CancellationError()) }
        }
    }

    private func release(_ waiter: Int, throwing error: any Error) {
        waiting.removeValue(forKey: waiter)?.resume(throwing: error)
    }
}
