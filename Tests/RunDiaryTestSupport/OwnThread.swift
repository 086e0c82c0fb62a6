import Foundation

/// Runs blocking work — a child process waited for, a socket or pipe read, `sleep`-polling — on a thread of its own
/// and awaits its result.
///
/// Never on one of Swift's cooperative threads: there are as many as cores (two here), and every live test server in
/// the test process needs them; two tests blocking one each would stop every server (its responses, and with them the
/// timeouts that follow a response) until they return.
public enum OwnThread {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }
}
