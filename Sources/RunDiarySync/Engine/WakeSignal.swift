import Foundation

/// Wakes a waiting loop early: a signal sent while nobody waits is kept for the next wait, and many signals
/// collapse into one.
// @unchecked Sendable: `state` is only touched under `lock`.
final class WakeSignal: @unchecked Sendable {
    private struct State {
        var signalled = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var nextID: UInt64 = 0
        /// Waits whose timeout or cancellation came before they started waiting.
        var ended: Set<UInt64> = []
    }

    private let lock = NSLock()
    private var state = State()

    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns when signalled, when `timeout` has passed (nil: never), or when the task is cancelled.
    func wait(timeout: Duration?) async {
        let id: UInt64 = lock.withLock {
            state.nextID += 1
            return state.nextID
        }
        let timer = timeout.map { timeout in
            Task { [weak self] in
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self?.resume(id)
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow: Bool = lock.withLock {
                    if state.ended.remove(id) != nil { return true }
                    if state.signalled {
                        state.signalled = false
                        return true
                    }
                    state.waiter?.continuation.resume()
                    state.waiter = (id, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.resume(id)
        }
        timer?.cancel()
        lock.withLock { _ = state.ended.remove(id) }
    }

    private func resume(_ id: UInt64) {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            guard let waiter = state.waiter, waiter.id == id else {
                state.ended.insert(id)
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
