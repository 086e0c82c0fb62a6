import Foundation
import Postgres
import RunDiaryModels
import RunDiaryStore
import RunDiarySync
import RunDiaryTestSupport

/// The checks after a simulation's final sync.
///
/// The server's state of an account is read twice: by a fresh device pulling from scratch (what any device must
/// hold), and from PostgreSQL (tombstone clocks, acknowledged mutation ids, the journal). It is held to the
/// devices' own logs: every mutation a device issued and the server did not reject must be in it, exactly once,
/// per field the value with the greatest clock (protocol §7), and nothing else: nothing of another account.
struct Audit {
    let devices: [SimulatedDevice]
    let emails: [String]
    let server: ServerProcess
    let cluster: ThrowawayCluster
    let folder: URL

    /// What the server holds of an account, as far as the checks need it.
    private struct Journal {
        var lastMutationIDs: [UUID: Int64] = [:]
        var rejections: [UUID: [Int64]] = [:]
        var conflicts: [UUID: [String]] = [:]
        var tombstones: [UUID: String] = [:]
    }

    /// The record a device's log says the server must hold.
    private struct Expected {
        var entity: EntityKind
        var deleted: HLC?
        var fields: [String: JSONValue] = [:]
        var clocks: [String: HLC] = [:]
    }

    func check() async throws -> [String] {
        var failures: [String] = []
        for (account, email) in emails.enumerated() {
            let members = devices.filter { $0.account == account }
            let auditor = try SyncEngine(
                databasePath: folder.appendingPathComponent("auditor-\(account).sqlite").path, configuration: World.configuration)
            try await auditor.signIn(server: server.baseURL, email: email, password: World.password, deviceName: "auditor")
            try await auditor.sync()
            guard let userID = try await auditor.account()?.userID else { throw SimulationSetupError("the auditor has no account") }
            let truth = try await auditor.serverSnapshot()
            let journal = try await readJournal(userID: userID)

            var log: [(device: UUID, mutation: Mutation)] = []
            for device in members {
                let name = "account \(account) device \(device.index)"
                let engine = await device.engine
                let deviceID = try await engine.deviceID
                let issued = await device.issued
                log += issued.map { (deviceID, $0) }
                failures += try await checkDevice(
                    name, device, engine, deviceID: deviceID, issued: issued, truth: truth, journal: journal)
            }
            failures += checkServer(account: account, truth: truth, journal: journal, log: log)
        }
        return failures
    }

    /// The device holds exactly the server's state, its outbox is empty, and its ids and clocks only went forward.
    private func checkDevice(
        _ name: String, _ device: SimulatedDevice, _ engine: SyncEngine, deviceID: UUID, issued: [Mutation], truth: [Change],
        journal: Journal
    ) async throws -> [String] {
        var failures: [String] = []
        let held = try await engine.serverSnapshot()
        if held != truth {
            let heldByID = Dictionary(uniqueKeysWithValues: held.map { ($0.id, $0) })
            let truthByID = Dictionary(uniqueKeysWithValues: truth.map { ($0.id, $0) })
            for id in Set(heldByID.keys).union(truthByID.keys).sorted(by: { $0.uuidString < $1.uuidString }).prefix(5)
            where heldByID[id] != truthByID[id] {
                failures.append("\(name): holds \(describe(heldByID[id])) where the server has \(describe(truthByID[id]))")
            }
        }
        var local: [LocalRecord] = []
        for entity in EntityKind.allCases { local += try await engine.records(entity, includingDeleted: true) }
        let expectedLocal = truth.map {
            LocalRecord(
                entity: $0.entity, id: $0.id, serverVersion: $0.version, isDeleted: $0.deleted, fields: $0.fields, clocks: $0.clocks,
                hasPendingChanges: false)
        }
        if Set(local) != Set(expectedLocal) { failures.append("\(name): its local view differs from the server's state") }
        let outbox = try await engine.outbox()
        if !outbox.isEmpty { failures.append("\(name): \(outbox.count) mutations still in the outbox after the final sync") }

        let ids = issued.map(\.mutationID)
        if ids != (0..<ids.count).map({ Int64($0 + 1) }) {
            failures.append("\(name): mutation ids are not 1, 2, 3, … in order: \(ids.prefix(20))")
        }
        let clocks = issued.compactMap(\.hlc)
        if let index = clocks.indices.dropLast().first(where: { clocks[$0] >= clocks[$0 + 1] }) {
            failures.append("\(name): clock went backwards at mutation \(ids[index + 1]): \(clocks[index]) then \(clocks[index + 1])")
        }
        if clocks.contains(where: { $0.node != deviceID }) { failures.append("\(name): a clock names another node") }
        failures += await device.causalityViolations.prefix(3).map { "\(name): \($0)" }
        if let last = clocks.last, let latest = try await engine.latestClock(), latest < last {
            failures.append("\(name): its stored clock \(latest) is behind its last issued clock \(last)")
        }
        let acknowledged = journal.lastMutationIDs[deviceID] ?? 0
        if acknowledged != Int64(issued.count) {
            failures.append("\(name): the server acknowledged through mutation \(acknowledged), the device issued \(issued.count)")
        }
        let localRejections = try await engine.rejections().map(\.id).sorted()
        if localRejections != (journal.rejections[deviceID] ?? []).sorted() {
            failures.append("\(name): keeps rejections \(localRejections), the server rejected \(journal.rejections[deviceID] ?? [])")
        }
        let localConflicts = try await engine.conflicts().map { "\($0.mutationID):\($0.conflict.field)" }.sorted()
        if localConflicts != (journal.conflicts[deviceID] ?? []).sorted() {
            failures.append("\(name): keeps conflicts \(localConflicts), the server recorded \(journal.conflicts[deviceID] ?? [])")
        }
        return failures
    }

    /// The server's state is what the accepted mutations make it, each applied once.
    private func checkServer(account: Int, truth: [Change], journal: Journal, log: [(device: UUID, mutation: Mutation)]) -> [String] {
        var failures: [String] = []
        let rejected = Set(journal.rejections.flatMap { device, ids in ids.map { "\(device):\($0)" } })
        if rejected.count != journal.rejections.values.map(\.count).reduce(0, +) {
            failures.append("account \(account): a mutation is in the server's rejections twice")
        }
        let conflicts = journal.conflicts.values.flatMap { $0 }
        if Set(conflicts).count != conflicts.count { failures.append("account \(account): a conflict is recorded twice") }

        var expected: [UUID: Expected] = [:]
        for (device, mutation) in log where !rejected.contains("\(device):\(mutation.mutationID)") {
            guard let entity = mutation.entity, let hlc = mutation.hlc else { continue }
            var record = expected[mutation.id] ?? Expected(entity: entity)
            switch mutation.op {
            case .delete:
                record.deleted = max(record.deleted ?? hlc, hlc)
            case .upsert:
                for (name, value) in mutation.fields ?? [:] where record.clocks[name].map({ $0 < hlc }) ?? true {
                    record.fields[name] = value
                    record.clocks[name] = hlc
                }
            case nil:
                continue
            }
            expected[mutation.id] = record
        }
        let truthByID = Dictionary(uniqueKeysWithValues: truth.map { ($0.id, $0) })
        for id in Set(expected.keys).union(truthByID.keys).sorted(by: { $0.uuidString < $1.uuidString }) {
            let name = "account \(account) record \(id.uuidString.lowercased().prefix(8))"
            guard let held = truthByID[id] else {
                failures.append("\(name): the devices' accepted mutations made it, the server does not have it (lost)")
                continue
            }
            guard let want = expected[id] else {
                failures.append("\(name): the server has it, no mutation of this account's devices made it")
                continue
            }
            if held.entity != want.entity {
                failures.append("\(name): is a \(held.entity.rawValue), was made as a \(want.entity.rawValue)")
            }
            if let deleted = want.deleted {
                if !held.deleted || !held.fields.isEmpty { failures.append("\(name): was deleted, the server still has it live") }
                if journal.tombstones[id] != deleted.description {
                    failures.append("\(name): tombstone clock \(journal.tombstones[id] ?? "none"), the greatest delete was \(deleted)")
                }
            } else {
                if held.deleted { failures.append("\(name): the server deleted it without an accepted delete") }
                if held.fields != want.fields || held.clocks != want.clocks {
                    let fields = Set(held.fields.keys).union(want.fields.keys).filter {
                        held.fields[$0] != want.fields[$0] || held.clocks[$0] != want.clocks[$0]
                    }
                    failures.append(
                        "\(name): fields \(fields.sorted()) differ from the greatest-clock writes "
                            + fields.sorted().map {
                                "\($0): server \(describe(held.fields[$0])) @\(held.clocks[$0]?.description ?? "-") vs \(describe(want.fields[$0])) @\(want.clocks[$0]?.description ?? "-")"
                            }
                            .joined(separator: "; "))
                }
            }
        }
        return failures
    }

    private func readJournal(userID: UUID) async throws -> Journal {
        try await TestDatabase.withClient(url: cluster.url, maxConnections: 1) { client in
            var journal = Journal()
            for row in try await client.query("SELECT id, last_mutation_id FROM devices WHERE user_id = \(userID)") {
                let (device, last) = try row.decode((UUID, Int64).self)
                journal.lastMutationIDs[device] = last
            }
            for row in try await client.query("SELECT device_id, mutation_id FROM sync_rejections WHERE user_id = \(userID)") {
                let (device, mutation) = try row.decode((UUID, Int64).self)
                journal.rejections[device, default: []].append(mutation)
            }
            for row in try await client.query("SELECT device_id, mutation_id, field FROM sync_conflicts WHERE user_id = \(userID)") {
                let (device, mutation, field) = try row.decode((UUID, Int64, String).self)
                journal.conflicts[device, default: []].append("\(mutation):\(field)")
            }
            for entity in EntityKind.allCases {
                let table = try PostgresIdentifier(validating: EntityTable.name(of: entity))
                let rows = try await client.query(
                    "SELECT id, deleted_hlc FROM \(table) WHERE user_id = \(userID) AND deleted_hlc IS NOT NULL")
                for row in rows {
                    let (id, clock) = try row.decode((UUID, String).self)
                    journal.tombstones[id] = clock
                }
            }
            return journal
        }
    }

    func statistics() async throws -> [String: Int] {
        try await TestDatabase.withClient(url: cluster.url, maxConnections: 1) { client in
            var statistics: [String: Int] = [:]
            statistics["server.rejections"] = try await client.query("SELECT count(*) FROM sync_rejections").single().decode(
                Int.self, at: 0)
            statistics["server.conflicts"] = try await client.query("SELECT count(*) FROM sync_conflicts").single().decode(Int.self, at: 0)
            var records = 0
            for entity in EntityKind.allCases {
                let table = try PostgresIdentifier(validating: EntityTable.name(of: entity))
                records += try await client.query("SELECT count(*) FROM \(table)").single().decode(Int.self, at: 0)
            }
            statistics["server.records"] = records
            var issued = 0
            for device in devices { issued += await device.issued.count }
            statistics["mutations"] = issued
            return statistics
        }
    }

    private func describe(_ change: Change?) -> String {
        guard let change else { return "nothing" }
        return "\(change.entity.rawValue) v\(change.version)\(change.deleted ? " deleted" : "") \(change.fields.keys.sorted())"
    }

    private func describe(_ value: JSONValue?) -> String {
        guard let value else { return "unset" }
        var bytes: [UInt8] = []
        value.appendJSON(to: &bytes)
        return String(decoding: bytes.prefix(60), as: UTF8.self)
    }
}
