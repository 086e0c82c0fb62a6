import Foundation
import GRDB
import RunDiaryModels

/// The client half of RunDiary's sync: a local-first diary in one SQLite file per account, kept in step with a
/// server by push and pull.
///
/// Edits (``save(_:)``, ``update(_:id:fields:)``, ``delete(_:id:)``) are validated with the shared schema, applied
/// to the local view at once and queued in a persisted outbox, stamped with the next mutation id and the device's
/// hybrid logical clock in the same SQLite transaction. ``sync()`` pushes the outbox and pulls what changed; ``run()``
/// keeps doing so, woken by local edits and by the server's live channel. What the app reads (``records(_:)``,
/// ``observe(_:)``) is always the server's state merged with the pending outbox by the shared `Merge`.
///
/// ```swift
/// let engine = try SyncEngine(databasePath: url.path)
/// try await engine.signIn(server: server, email: email, password: password, deviceName: "Ana's iPhone")
/// try await engine.save(run)          // visible at once, offline or not
/// Task { await engine.run() }         // push, pull, follow the live channel until cancelled
/// ```
public actor SyncEngine {
    /// The SQLite file of this account's diary.
    public nonisolated let databasePath: String
    public nonisolated let configuration: Configuration
    let database: DatabasePool
    let transport: any SyncTransport
    /// Milliseconds since 1970 by this device's wall clock; the clock's physical part.
    let wallClock: @Sendable () -> Int64

    var phase: SyncStatus.Phase = .idle
    var liveChannel: SyncStatus.LiveChannel = .stopped
    /// Wakes ``run()``: a local edit, a live `changed` event or a sign-in.
    let wake = WakeSignal()
    let statusUpdates = StatusBroadcast()
    /// Serialises syncs: one push-and-pull at a time, in call order.
    var syncInProgress = false
    var syncWaiters: [CheckedContinuation<Void, Never>] = []

    /// Opens (or creates) the diary database at `databasePath`.
    ///
    /// - Parameters:
    ///   - transport: How to reach the server; by default Foundation's `URLSession`.
    ///   - wallClock: The device's clock in milliseconds since 1970 (tests and simulations pass their own).
    public init(
        databasePath: String, transport: any SyncTransport = URLSessionTransport(), configuration: Configuration = Configuration(),
        wallClock: @escaping @Sendable () -> Int64 = { HybridLogicalClock.systemMillis() }
    ) throws {
        var options = GRDB.Configuration()
        options.label = "RunDiarySync"
        // Another process may hold the file (an app extension, a second terminal command): wait for its write
        // instead of failing. Writes begin IMMEDIATE, so the counter and clock are read under the write lock.
        options.busyMode = .timeout(10)
        let database = try DatabasePool(path: databasePath, configuration: options)
        try LocalSchema.migrator.migrate(database)
        try database.write { db in try DeviceState.prepare(db) }
        self.databasePath = databasePath
        self.database = database
        self.transport = transport
        self.configuration = configuration
        self.wallClock = wallClock
    }

    /// This device's id: the node of its clocks, sent at sign-in.
    public var deviceID: UUID {
        get async throws { try await database.read { db in try DeviceState.read(db).deviceID } }
    }

    /// The account this database belongs to, once it has signed in.
    public func account() async throws -> AccountInfo? {
        try await database.read { db in try DeviceState.read(db).account }
    }

    /// Where the engine stands: phase, pending edits, last sync, rejections and conflicts.
    public func status() async throws -> SyncStatus {
        let phase = phase
        let live = liveChannel
        return try await database.read { db in
            let device = try DeviceState.read(db)
            let journal = try Journal.counts(db)
            return SyncStatus(
                phase: device.token == nil ? .signedOut : phase, pendingCount: try Outbox.pendingCount(db),
                lastSyncedAt: device.lastSyncedAt, rejectionCount: journal.rejections, conflictCount: journal.conflicts,
                liveChannel: live, account: device.account)
        }
    }

    /// The status each time it changes (an edit, a sync starting or ending, the live channel coming or going).
    public nonisolated func statusChanges() -> AsyncStream<SyncStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: SyncStatus.self, bufferingPolicy: .bufferingNewest(8))
        Task { await self.subscribe(continuation) }
        return stream
    }

    private func subscribe(_ continuation: AsyncStream<SyncStatus>.Continuation) async {
        statusUpdates.add(continuation)
        if let status = try? await status() { continuation.yield(status) }
    }

    func setPhase(_ newPhase: SyncStatus.Phase) async {
        phase = newPhase
        await publishStatus()
    }

    func setLiveChannel(_ state: SyncStatus.LiveChannel) async {
        guard liveChannel != state else { return }
        liveChannel = state
        await publishStatus()
    }

    func publishStatus() async {
        guard statusUpdates.hasSubscribers, let status = try? await status() else { return }
        statusUpdates.yield(status)
    }

    /// The current time, by the device's wall clock.
    var now: Date {
        Date(timeIntervalSince1970: Double(wallClock()) / 1000)
    }
}
