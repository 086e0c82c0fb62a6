import Foundation
import GRDB
import RunDiaryModels

extension SyncEngine {
    /// Pushes the outbox, then pulls until the server has nothing more: one sync, retried within the policy.
    ///
    /// Syncs run one at a time; a call made while one runs waits for it and then runs its own.
    ///
    /// - Throws: ``SyncError``: `signedOut` (sign in again; edits are kept), `unreachable` or `rateLimited` (try
    ///   later; nothing is lost), `refused` (the server refused a whole request, such as a push answered 422: the
    ///   engine does not retry it by itself).
    @discardableResult
    public func sync() async throws -> SyncReport {
        await enterSync()
        defer { leaveSync() }
        await setPhase(.syncing)
        do {
            var report = SyncReport()
            let queuedBefore: Int
            if let page = try await exchangeOutbox(into: &report) {
                // The edits fitted one push: sent with the device's cursor, and the first page after them came back,
                // in one request.
                try await settleUnknownVerdicts()
                queuedBefore = report.pushedBack
                try await pullChanges(into: &report, startingWith: page)
            } else {
                // With edits to send, the cursor is checked first: should the server have been restored (410), the
                // reset queues what it lost ahead of the edits, so that an edit of a lost record follows its
                // re-creation.
                if try await database.read({ db in try Outbox.pendingCount(db) > 0 && DeviceState.read(db).cursor != nil }) {
                    try await pullChanges(into: &report)
                }
                try await pushOutbox(into: &report)
                try await settleUnknownVerdicts()
                queuedBefore = report.pushedBack
                try await pullChanges(into: &report)
            }
            if report.pushedBack > queuedBefore {
                // A reset queued what the server lost: send it now, so that one sync restores the server.
                try await pushOutbox(into: &report)
                try await settleUnknownVerdicts()
                try await pullChanges(into: &report)
            }
            await setPhase(.idle)
            return report
        } catch let error as SyncError {
            switch error.code {
            case .signedOut: await setPhase(.signedOut)
            case .unreachable: await setPhase(.offline)
            default: await setPhase(.failed(error))
            }
            throw error
        } catch {
            await setPhase(.idle)
            throw error
        }
    }

    private func enterSync() async {
        guard syncInProgress else {
            syncInProgress = true
            return
        }
        await withCheckedContinuation { syncWaiters.append($0) }
    }

    private func leaveSync() {
        if syncWaiters.isEmpty {
            syncInProgress = false
        } else {
            syncWaiters.removeFirst().resume()
        }
    }

    // MARK: Push

    /// Pushes unacknowledged mutations, oldest first, in batches within the server's limits.
    private func pushOutbox(into report: inout SyncReport) async throws {
        var batchSize = configuration.pushBatchSize
        while true {
            let limit = batchSize
            let batch = try await database.read { db in try Outbox.unsent(db, limit: limit) }
            guard !batch.isEmpty else { return }
            let body = try JSONEncoder().encode(PushRequest(mutations: batch.map(\.mutation)))
            let response = try await exchange(try await request("POST", "v1/sync/push", body: body))
            switch response.status {
            case 200:
                try await record(try Self.decode(PushResponse.self, from: response), for: batch, into: &report)
            case 413 where batch.count > 1:
                // Over the server's mutation or body limit: send half as many at a time for the rest of this sync.
                batchSize = batch.count / 2
            case 413:
                // One mutation larger than the server takes can never be sent: keep it as refused, not stuck.
                let refusal = Self.refusal(response, "The edit is larger than the server accepts.")
                let date = now
                try await database.write { db in
                    let mutation = batch[0].mutation
                    try Journal.reject(
                        db, mutation, code: RejectionCode(rawValue: refusal.problem?.code ?? "payload_too_large"), field: nil,
                        message: "The edit is larger than the server accepts.", issues: [], at: date)
                    try Outbox.remove(db, mutationID: mutation.mutationID)
                    try LocalView.recompute(db, id: mutation.id)
                }
                report.rejected += 1
            default:
                // 400 or 422 on the whole push (nothing was applied): a retry would be refused the same way.
                throw Self.refusal(response, "The server refused the push as a whole.")
            }
        }
    }

    /// When the unsent edits fit one push, sends them as one exchange (`POST /v1/sync/exchange`, docs/sync-protocol.md
    /// §9.3): the push, then the first page after it, in one request. Returns that page; nil — nothing stored on the
    /// server — when there is nothing to send or more than one push's worth, during a reset, or when the server
    /// answers what the push-then-pull path handles: 410 (reset before pushing), 413 (smaller batches), 404 or 405
    /// (a server older than the exchange).
    private func exchangeOutbox(into report: inout SyncReport) async throws -> PullResponse? {
        let limit = configuration.pushBatchSize
        let (batch, device) = try await database.read { db in
            (try Outbox.unsent(db, limit: limit + 1), try DeviceState.read(db))
        }
        guard !batch.isEmpty, batch.count <= limit, !device.resetting else { return nil }
        let body = try JSONEncoder().encode(PushRequest(mutations: batch.map(\.mutation)))
        let response = try await exchange(
            try await request("POST", "v1/sync/exchange", query: pullQuery(after: device.cursor), body: body))
        switch response.status {
        case 200:
            let answer = try Self.decode(ExchangeResponse.self, from: response)
            try await record(answer.push, for: batch, into: &report)
            return answer.pull
        case 404, 405, 410, 413:
            return nil
        default:
            throw Self.refusal(response, "The server refused the push as a whole.")
        }
    }

    /// Records a push's answer to `batch` in the local store and the report.
    private func record(_ answer: PushResponse, for batch: [Outbox.Entry], into report: inout SyncReport) async throws {
        guard answer.results.count == batch.count,
            zip(answer.results, batch).allSatisfy({ $0.mutationID == $1.mutationID })
        else {
            throw SyncError(.invalidResponse, status: 200, detail: "The push answer does not match the mutations sent.")
        }
        let wall = wallClock()
        let date = now
        let counts = try await database.write { db in
            try Self.record(answer, for: batch, in: db, wallMillis: wall, at: date)
        }
        report.acknowledged += batch.count
        report.rejected += counts.rejected
        report.conflicts += counts.conflicts
        await publishStatus()
    }

    /// Applies a push answer: rejected mutations leave the outbox for the journal, the others stay, acknowledged,
    /// until a pull brings back their effect; conflicts are kept; the clock moves past the server's.
    private static func record(
        _ answer: PushResponse, for batch: [Outbox.Entry], in db: Database, wallMillis: Int64, at date: Date
    ) throws -> (rejected: Int, conflicts: Int) {
        var rejected = 0
        var conflicts = 0
        for (result, entry) in zip(answer.results, batch) {
            switch result.status {
            case .rejected:
                try Journal.reject(
                    db, entry.mutation, code: result.code ?? RejectionCode(rawValue: "rejected"), field: result.field,
                    message: result.message ?? "", issues: result.errors ?? [], at: date)
                try Outbox.remove(db, mutationID: entry.mutationID)
                rejected += 1
            case .applied, .merged:
                try Outbox.acknowledge(db, mutationID: entry.mutationID, verdictUnknown: false)
                for conflict in result.conflicts ?? [] {
                    try Journal.recordConflict(db, conflict, of: entry.mutation, at: date)
                    conflicts += 1
                }
            case .duplicate:
                // Processed by an earlier send whose answer was lost: its verdict is looked up before it may go.
                try Outbox.acknowledge(db, mutationID: entry.mutationID, verdictUnknown: true)
            }
            try LocalView.recompute(db, id: entry.recordID)
        }
        // A counter behind the server's (a database restored from a backup) must not issue ids the server has seen.
        try db.execute(
            literal: """
                UPDATE device SET acknowledged_through = max(acknowledged_through, \(answer.lastMutationID)),
                    last_mutation_id = max(last_mutation_id, \(answer.lastMutationID))
                """)
        try DeviceState.receive(db, answer.serverHLC, wallMillis: wallMillis)
        return (rejected, conflicts)
    }

    // MARK: Lost verdicts

    private struct JournalPage<Item: Decodable>: Decodable {
        let items: [Item]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            guard let key = container.allKeys.first(where: { $0.stringValue == "rejections" || $0.stringValue == "conflicts" }) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no journal list"))
            }
            items = try container.decode([Item].self, forKey: key)
        }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    private struct RemoteRejection: Decodable {
        let id: Int64
        let deviceID: UUID
        let mutationID: Int64
        let code: String
        let field: String?
        let message: String

        enum CodingKeys: String, CodingKey {
            case id, code, field, message
            case deviceID = "device_id"
            case mutationID = "mutation_id"
        }
    }

    private struct RemoteConflict: Decodable {
        let id: Int64
        let deviceID: UUID
        let mutationID: Int64
        let field: String
        let winningValue: JSONValue
        let winningHLC: HLC
        let losingValue: JSONValue
        let losingHLC: HLC

        enum CodingKeys: String, CodingKey {
            case id, field
            case deviceID = "device_id"
            case mutationID = "mutation_id"
            case winningValue = "winning_value"
            case winningHLC = "winning_hlc"
            case losingValue = "losing_value"
            case losingHLC = "losing_hlc"
        }
    }

    /// For mutations whose answer was lost (a resend was answered `duplicate`), finds the verdict in the server's
    /// journal: a rejection is kept like any other, conflicts too; the rest were applied.
    private func settleUnknownVerdicts() async throws {
        let unknown = try await database.read { db in try Outbox.unknownVerdicts(db) }
        guard let lowest = unknown.first?.mutationID else { return }
        let device = try await deviceID
        let wanted = Set(unknown.map(\.mutationID))
        let rejections = try await journal(RemoteRejection.self, path: "v1/sync/rejections", lowest: lowest) {
            $0.deviceID == device ? ($0.id, $0.mutationID) : ($0.id, nil)
        }.filter { $0.deviceID == device && wanted.contains($0.mutationID) }
        let conflicts = try await journal(RemoteConflict.self, path: "v1/sync/conflicts", lowest: lowest) {
            $0.deviceID == device ? ($0.id, $0.mutationID) : ($0.id, nil)
        }.filter { $0.deviceID == device && wanted.contains($0.mutationID) }

        let date = now
        try await database.write { db in
            let byID = Dictionary(uniqueKeysWithValues: unknown.map { ($0.mutationID, $0) })
            for rejection in rejections {
                guard let entry = byID[rejection.mutationID] else { continue }
                try Journal.reject(
                    db, entry.mutation, code: RejectionCode(rawValue: rejection.code), field: rejection.field,
                    message: rejection.message, issues: [], at: date)
                try Outbox.remove(db, mutationID: entry.mutationID)
                try LocalView.recompute(db, id: entry.recordID)
            }
            for conflict in conflicts {
                guard let entry = byID[conflict.mutationID] else { continue }
                let winner: FieldConflict.Winner = conflict.winningHLC == entry.mutation.hlc ? .mutation : .stored
                try Journal.recordConflict(
                    db,
                    FieldConflict(
                        field: conflict.field, winningValue: conflict.winningValue, winningHLC: conflict.winningHLC,
                        losingValue: conflict.losingValue, losingHLC: conflict.losingHLC, winner: winner),
                    of: entry.mutation, at: date)
            }
            for entry in unknown {
                try db.execute(literal: "UPDATE outbox SET verdict_unknown = 0 WHERE mutation_id = \(entry.mutationID)")
            }
        }
    }

    /// Reads a journal listing (newest first) back to this device's mutation `lowest`, or to its end.
    ///
    /// `position` gives an item's journal id and, for this device's items, its mutation id.
    private func journal<Item: Decodable & Sendable>(
        _ type: Item.Type, path: String, lowest: Int64, position: (Item) -> (id: Int64, mutationID: Int64?)
    ) async throws -> [Item] {
        let pageSize = 200
        var items: [Item] = []
        var before: Int64?
        for _ in 0..<50 {
            var query = [URLQueryItem(name: "limit", value: String(pageSize))]
            if let before { query.append(URLQueryItem(name: "before", value: String(before))) }
            let response = try await exchange(try await request("GET", path, query: query))
            guard response.status == 200 else { throw Self.refusal(response, "The server did not list its journal.") }
            let page = try Self.decode(JournalPage<Item>.self, from: response).items
            items += page
            let positions = page.map(position)
            if page.count < pageSize || positions.contains(where: { ($0.mutationID ?? .max) < lowest }) { break }
            before = positions.last?.id
        }
        return items
    }

    // MARK: Pull

    /// Pulls pages until `has_more` is false; on 410 `reset_required` starts again from nothing, keeping the outbox.
    /// `first`, when given, is the first page (an exchange's), already read.
    private func pullChanges(into report: inout SyncReport, startingWith first: PullResponse? = nil) async throws {
        let settledThrough = try await database.read { db in try Outbox.acknowledgedThrough(db) }
        var given = first
        while true {
            let page: PullResponse
            if let first = given {
                page = first
                given = nil
            } else {
                let cursor = try await database.read { db in try DeviceState.read(db).cursor }
                let response = try await exchange(try await request("GET", "v1/sync/pull", query: pullQuery(after: cursor)))
                switch response.status {
                case 200:
                    page = try Self.decode(PullResponse.self, from: response)
                case 410 where cursor != nil:
                    try await database.write { db in try ResetCopy.begin(db) }
                    report.reset = true
                    continue
                default:
                    throw Self.refusal(response, "The server refused the pull.")
                }
            }
            let wall = wallClock()
            try await database.write { db in try Self.store(page, in: db, wallMillis: wall) }
            report.pulled += page.changes.count
            if !page.hasMore {
                let date = now
                let retention = configuration.tombstoneRetention
                report.pushedBack += try await database.write { db in
                    try Self.finishPull(in: db, settledThrough: settledThrough, retention: retention, wallMillis: wall, at: date)
                }
                await publishStatus()
                return
            }
        }
    }

    /// A pull's query from `cursor`: the configured page size, in the shared clock form (about half the bytes of the
    /// per-field one, read back by Change's Decodable).
    private func pullQuery(after cursor: String?) -> [URLQueryItem] {
        var query = [
            URLQueryItem(name: "limit", value: String(configuration.pullPageSize)),
            URLQueryItem(name: "clocks", value: ClockForm.shared.rawValue),
        ]
        if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
        return query
    }

    /// Stores a pulled page with its cursor and the clock's advance, in one transaction; during a reset, into the
    /// copy kept apart.
    private static func store(_ page: PullResponse, in db: Database, wallMillis: Int64) throws {
        let device = try DeviceState.read(db)
        var newest = page.serverHLC
        for change in page.changes {
            if device.resetting {
                try ResetCopy.store(db, change)
            } else {
                try ServerRecords.store(db, change, generation: device.generation)
                try LocalView.recompute(db, id: change.id)
            }
            if let clock = change.clocks.values.max(), clock > newest { newest = clock }
        }
        try db.execute(literal: "UPDATE device SET cursor = \(page.cursor)")
        try DeviceState.receive(db, newest, wallMillis: wallMillis)
    }

    /// After the last page: a finished reset queues what the server lacks and takes the server's state; acknowledged
    /// mutations whose effect the pull has brought back (or the reset has queued again) leave the outbox. Returns
    /// how many mutations a reset queued to push back.
    private static func finishPull(
        in db: Database, settledThrough: Int64, retention: Duration, wallMillis: Int64, at date: Date
    ) throws -> Int {
        var pushedBack = 0
        let device = try DeviceState.read(db)
        if device.resetting {
            let retentionSeconds = Double(retention.components.seconds) + Double(retention.components.attoseconds) / 1e18
            let recent = device.lastSyncedAt.map { date.timeIntervalSince($0) < retentionSeconds } ?? false
            pushedBack = try finishReset(db, recreatingMissing: recent, wallMillis: wallMillis, at: date)
        }
        for id in try Outbox.removeSettled(db, through: settledThrough) { try LocalView.recompute(db, id: id) }
        try db.execute(literal: "UPDATE device SET last_synced_at = \(date.timeIntervalSince1970)")
        return pushedBack
    }
}
