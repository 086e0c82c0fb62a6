import Foundation

/// Hands each status to every subscriber of ``SyncEngine/statusChanges()``.
// @unchecked Sendable: `subscribers` is only touched under `lock`.
final class StatusBroadcast: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [UUID: AsyncStream<SyncStatus>.Continuation] = [:]

    var hasSubscribers: Bool {
        lock.withLock { !subscribers.isEmpty }
    }

    func add(_ continuation: AsyncStream<SyncStatus>.Continuation) {
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.subscribers.removeValue(forKey: id) }
        }
        lock.withLock { subscribers[id] = continuation }
    }

    func yield(_ status: SyncStatus) {
        for continuation in lock.withLock({ Array(subscribers.values) }) {
            continuation.yield(status)
        }
    }
}
