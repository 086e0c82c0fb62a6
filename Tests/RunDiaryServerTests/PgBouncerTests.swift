import Foundation
import RunDiaryTestSupport
import Testing

/// The suite's sync checks, run again with the server's database behind PgBouncer in transaction pooling mode (from
/// Debian's package, 1.18: it cannot carry named prepared statements, so the server must not use them there).
/// PgBouncer's server pool (3) is smaller than the server's (8): transactions of one server connection land on
/// different PostgreSQL sessions, so any state kept between statements would break these checks.
@Suite("Sync works through PgBouncer in transaction pooling mode", .serialized)
struct PgBouncerTests {
    private func throughPgBouncer(_ body: () async throws -> Void) async throws {
        let bouncer = try await PgBouncer.start()
        do {
            try await PgBouncer.$current.withValue(bouncer) { try await body() }
        } catch {
            await bouncer.stop()
            throw error
        }
        await bouncer.stop()
    }

    @Test("offline edits of two devices converge, whichever pushes first; deletes stay terminal")
    func convergence() async throws {
        try await throughPgBouncer {
            try await SyncMergeTests().bothDevicesEndInTheSameState(phoneFirst: true)
            try await SyncMergeTests().bothDevicesEndInTheSameState(phoneFirst: false)
            try await SyncMergeTests().deleteIsTerminalAndAConcurrentEditIsKeptAsARejection()
            try await SyncMergeTests().valuesRoundTripExactlyAsWritten()
        }
    }

    @Test("pushes are idempotent, pulls page through every change once, cursors reset", .timeLimit(.minutes(5)))
    func pushAndPull() async throws {
        try await throughPgBouncer {
            try await SyncIdempotencyTests().aReplayedPushChangesNothing()
            try await SyncIdempotencyTests().oneInvalidMutationIsRejectedAndTheOthersApply()
            try await SyncCursorTests().pagesCoverEveryChangeOnceAndTheLatestStateOnly()
            try await SyncCursorTests().aCursorBehindThePruningHorizonMustReset()
        }
    }

    /// `pg_notify` runs inside the push transaction, which PgBouncer keeps on one server connection until it commits;
    /// the listener holds its `LISTEN` on a direct connection (`listenDatabaseURL`, see `TestServer.run`). Had the
    /// listener gone through PgBouncer too, it would hear nothing and the stream would wait for `changed` in vain.
    @Test(
        "live sync: a stream hears another device's push, and a long-poll is answered by one", .timeLimit(.minutes(5)))
    func liveSync() async throws {
        try await throughPgBouncer {
            try await LiveStreamTests().streamHearsAPush()
            try await LongPollTests().answersAfterAPush()
        }
    }

    @Test("no change is skipped while four devices push concurrently", .timeLimit(.minutes(5)))
    func concurrentWriters() async throws {
        try await throughPgBouncer {
            try await SyncConcurrencyTests().fourWritersAndAPullerEndWithTheServersRecords()
        }
    }
}
