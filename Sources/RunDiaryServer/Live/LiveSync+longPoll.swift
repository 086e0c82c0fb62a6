import Foundation
import RunDiaryStore
import ServiceLifecycle

extension LiveSync {
    /// A long-poll: reads a page with `read`; when it is empty, waits up to `wait` for a notice that the account moved
    /// past it, then reads again. Answers at once when there are changes, and when the server begins to shut down.
    func longPoll(
        identity: Identity, position: Int64, wait: Duration, read: () async throws -> SyncStore.PullPage
    ) async throws -> SyncStore.PullPage {
        // Registered before the first read, so that a push committing after that read's snapshot is heard.
        let subscription = try registry.open(.longPoll, owner: identity, position: position)
        defer { registry.remove(subscription) }
        let page = try await read()
        guard page.count == 0 else { return page }
        subscription.acknowledge(version: page.cursor.version)
        let moved = await withGracefulShutdownHandler {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    while true {
                        switch await subscription.next() {
                        case .changed: return true
                        case .end: return false
                        case .heartbeat: continue
                        }
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: wait)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        } onGracefulShutdown: {
            subscription.end(.shutdown)
        }
        return moved ? try await read() : page
    }
}
