import NIOConcurrencyHelpers
import NIOPosix

/// The threads that run a client's libpq calls: none until ``PostgresClient/run()`` starts them, none after it ends.
///
/// A connection opened before the threads start waits for them; one opened after they stopped fails.
final class ClientThreads: Sendable {
    private enum State {
        case notStarted(waiters: [Int: CheckedContinuation<NIOThreadPool, any Error>], nextID: Int)
        case running(NIOThreadPool)
        case stopped
    }

    private let count: Int
    private let state = NIOLockedValueBox(State.notStarted(waiters: [:], nextID: 0))

    init(count: Int) {
        self.count = count
    }

    /// Starts the threads; false when they were started (or stopped) before.
    func start() -> Bool {
        let started: (NIOThreadPool, [CheckedContinuation<NIOThreadPool, any Error>])? = state.withLockedValue { state in
            guard case .notStarted(let waiters, _) = state else { return nil }
            let threadPool = NIOThreadPool(numberOfThreads: count)
            threadPool.start()
            state = .running(threadPool)
            return (threadPool, Array(waiters.values))
        }
        guard let (threadPool, waiters) = started else { return false }
        waiters.forEach { $0.resume(returning: threadPool) }
        return true
    }

    /// Fails everything waiting and everything that comes later; returns the threads to shut down, if they ran.
    func stop() -> NIOThreadPool? {
        let (threadPool, waiters): (NIOThreadPool?, [CheckedContinuation<NIOThreadPool, any Error>]) =
            state.withLockedValue { state in
                defer { state = .stopped }
                switch state {
                case .notStarted(let waiters, _): return (nil, Array(waiters.values))
                case .running(let threadPool): return (threadPool, [])
                case .stopped: return (nil, [])
                }
            }
        waiters.forEach { $0.resume(throwing: Self.stoppedError) }
        return threadPool
    }

    /// The running threads, once they run; throws once they have stopped, or when the task is cancelled.
    func running() async throws -> NIOThreadPool {
        let id = state.withLockedValue { state -> Int in
            guard case .notStarted(let waiters, let nextID) = state else { return 0 }
            state = .notStarted(waiters: waiters, nextID: nextID + 1)
            return nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<NIOThreadPool, any Error>) in
                let immediate: Result<NIOThreadPool, any Error>? = state.withLockedValue { state in
                    switch state {
                    case .running(let threadPool):
                        return .success(threadPool)
                    case .stopped:
                        return .failure(Self.stoppedError)
                    case .notStarted(var waiters, let nextID):
                        if Task.isCancelled { return .failure(CancellationError()) }
                        waiters[id] = continuation
                        state = .notStarted(waiters: waiters, nextID: nextID)
                        return nil
                    }
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { state -> CheckedContinuation<NIOThreadPool, any Error>? in
                guard case .notStarted(var waiters, let nextID) = state, let waiter = waiters.removeValue(forKey: id)
                else { return nil }
                state = .notStarted(waiters: waiters, nextID: nextID)
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private static var stoppedError: PostgresError {
        PostgresError(code: .poolClosed, message: "the client is shut down")
    }
}
