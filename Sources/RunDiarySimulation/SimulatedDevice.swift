import Foundation
import RunDiaryModels
import RunDiarySync

/// One device of the simulation: an engine over its own SQLite file, behind its own faulty network, and the log of
/// every mutation it issued (what the checks hold the server to).
actor SimulatedDevice {
    let index: Int
    let account: Int
    let path: String
    let transport: FaultInjectingTransport
    let configuration: SyncEngine.Configuration
    let skew: Int64
    private(set) var engine: SyncEngine
    /// Every mutation the engine issued, in the order it returned them.
    private(set) var issued: [Mutation] = []
    private(set) var refusedLocally = 0
    /// Edits whose clock was not later than every clock the device held when it made them.
    private(set) var causalityViolations: [String] = []
    private(set) var failedSyncs = 0

    init(index: Int, account: Int, path: String, transport: FaultInjectingTransport, configuration: SyncEngine.Configuration, skew: Int64)
        throws
    {
        self.index = index
        self.account = account
        self.path = path
        self.transport = transport
        self.configuration = configuration
        self.skew = skew
        self.engine = try Self.open(path, transport, configuration, skew)
    }

    private static func open(_ path: String, _ transport: FaultInjectingTransport, _ configuration: SyncEngine.Configuration, _ skew: Int64)
        throws -> SyncEngine
    {
        try SyncEngine(
            databasePath: path, transport: transport, configuration: configuration,
            wallClock: { HybridLogicalClock.systemMillis() + skew })
    }

    /// Drops the engine and opens the same file again, as a restarted app does.
    func restart() throws {
        engine = try Self.open(path, transport, configuration, skew)
    }

    /// Runs a sync and kills the app `after` into it: the sync task is cancelled wherever it is, then the engine
    /// is dropped and reopened.
    func crash(after: Duration) async throws {
        let engine = engine
        let sync = Task { try await engine.sync() }
        try? await Task.sleep(for: after)
        sync.cancel()
        _ = await sync.result
        try restart()
    }

    /// One sync; a failure (server down, faults) is expected now and then and only counted.
    @discardableResult
    func sync() async -> Bool {
        do {
            try await engine.sync()
            return true
        } catch {
            failedSyncs += 1
            return false
        }
    }

    /// Keeps an issued mutation, and checks the hybrid clock's promise: an edit's clock is later than every
    /// clock the device had seen when it was made, so a later edit wins over what it saw.
    private func record(_ pending: PendingMutation?, seen: HLC?) {
        guard let pending else { return }
        issued.append(pending.mutation)
        if let seen, let hlc = pending.mutation.hlc, hlc <= seen {
            causalityViolations.append("mutation \(pending.mutation.mutationID) has clock \(hlc), not after \(seen) it had seen")
        }
    }

    /// The greatest clock of any record the device holds.
    private func latestSeen() async throws -> HLC? {
        var latest: HLC?
        for entity in EntityKind.allCases {
            for record in try await engine.records(entity, includingDeleted: true) {
                if let clock = record.clocks.values.max(), latest.map({ clock > $0 }) ?? true { latest = clock }
            }
        }
        return latest
    }

    /// Applies an edit of the schedule; `foreign` offers ids of records other accounts hold.
    func apply(_ edit: Schedule.Edit, foreign: [UUID]) async throws {
        let seen = try await latestSeen()
        do {
            switch edit {
            case .create(let entity, let id, var fields, let references, let pick):
                for (field, target) in references.sorted(by: { $0.key < $1.key }) {
                    let candidates = try await engine.records(target, includingDeleted: true)
                    let required = EntitySchema.schema(for: entity).field(named: field)?.isRequired == true
                    if candidates.isEmpty {
                        if required { return }
                        continue
                    }
                    if required || pick % 2 == 0 {
                        fields[field] = .string(candidates[Int(pick % UInt64(candidates.count))].id.uuidString.lowercased())
                    }
                }
                record(try await engine.update(entity, id: id, fields: fields), seen: seen)
            case .update(let entity, let pick, let fields):
                let candidates = try await engine.records(entity)
                guard !candidates.isEmpty, !fields.isEmpty else { return }
                record(try await engine.update(entity, id: candidates[Int(pick % UInt64(candidates.count))].id, fields: fields), seen: seen)
            case .delete(let entity, let pick):
                let candidates = try await engine.records(entity)
                guard !candidates.isEmpty else { return }
                record(try await engine.delete(entity, id: candidates[Int(pick % UInt64(candidates.count))].id), seen: seen)
            case .borrowForeignID(let entity, let pick, let fields):
                guard !foreign.isEmpty else { return }
                let id = foreign[Int(pick % UInt64(foreign.count))]
                guard try await engine.record(id: id) == nil else { return }
                record(try await engine.update(entity, id: id, fields: fields), seen: seen)
            }
        } catch is EditRejected {
            // Refused locally with the server's code (a patch of a record deleted meanwhile, …): nothing queued.
            refusedLocally += 1
        }
    }
}
