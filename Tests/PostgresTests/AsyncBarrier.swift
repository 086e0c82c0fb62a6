import Foundation

/// Lets `count` tasks wait for each other.
///
/// A waiting task that is cancelled stops waiting: when one task of a group fails before it arrives, the group cancels
/// the others, and the test ends with that failure instead of waiting forever for an arrival that will not come.
actor AsyncBarrier {
    private let count: Int
    private var arrived = 0
    private var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    init(count: Int) { self.count = count }

    func arriveAndWait() async {
        arrived += 1
        if arrived == count {
            waiting.values.forEach { $0.resume() }
            waiting = [:]
            return
        }
        let waiter = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiting[waiter] = continuation
                }
            }
        } onCancel: {
            Task { await self.release(waiter) }
        }
    }

    private func release(_ waiter: Int) {
        waiting.removeValue(forKey: waiter)?.resume()
    }
}
