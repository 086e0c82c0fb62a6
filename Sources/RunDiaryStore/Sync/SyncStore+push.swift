import Foundation
import Postgres
import RunDiaryModels

extension SyncStore {
    /// What a push returns: a verdict per mutation, in order, and the highest mutation id now acknowledged.
    package struct PushOutcome: Sendable {
        package let results: [MutationResult]
        package let lastMutationID: Int64
    }

    /// Applies a device's mutations in order, in one transaction: all of the batch is stored, or none of it.
    ///
    /// Every mutation gets a verdict. `mutations` are in increasing mutation id order (``PushRequest`` checks it). A
    /// mutation id at or below the device's last acknowledged id is a `duplicate` only when the server can show it
    /// acknowledged this very mutation (see ``AcknowledgedMutations``); otherwise it is rejected `mutation_id_reused`
    /// and kept. Rejected mutations are acknowledged and kept in `sync_rejections`; real conflicts are kept with both
    /// values in `sync_conflicts`.
    ///
    /// With a `check`, the transaction's first statement checks the device's token (``TokenCheck``) and locks nothing
    /// unless it passes; a refused push is rolled back, having written nothing, and throws ``TokenRefusal``.
    package func push(
        userID: UUID, deviceID: UUID, mutations: [Mutation], now: Date, maxClockSkewSeconds: Int, check: TokenCheck? = nil
    ) async throws -> PushOutcome {
        let opening = PushBatch.Opening(userID: userID, deviceID: deviceID, mutations: mutations, check: check)
        return try await push(opening, mutations: mutations, now: now, maxClockSkewSeconds: maxClockSkewSeconds).outcome
    }

    /// What an exchange returns: the push's outcome and the page pulled after it.
    package struct ExchangeOutcome: Sendable {
        package let push: PushOutcome
        package let page: PullPage
    }

    /// A push and then a pull from `cursor`, in the push's transaction: the pull's statement is sent with the push's
    /// writes and COMMIT, so it sees them, and the whole exchange is one commit and the round trips of a push.
    ///
    /// The push is as ``push(userID:deviceID:mutations:now:maxClockSkewSeconds:check:)``; the pull is as
    /// ``pull(userID:deviceID:after:limit:form:check:)`` without a check of its own (the push's opening checked the
    /// token and took the request's allowance). A cursor that calls for a reset is found by the push's opening, which
    /// then stores nothing and throws ``PullError/resetRequired``: the device resets before its edits are sent, as
    /// after a pull. Nothing is skipped: the page is read while the push holds the user's row lock, so no other push
    /// of the user comes between its snapshot and its cursor.
    package func exchange(
        userID: UUID, deviceID: UUID, mutations: [Mutation], now: Date, maxClockSkewSeconds: Int,
        after cursor: SyncCursor?, limit: Int, form: ClockForm, check: TokenCheck? = nil
    ) async throws -> ExchangeOutcome {
        let opening = PushBatch.Opening(
            userID: userID, deviceID: deviceID, mutations: mutations, check: check, continuing: cursor)
        let pull = Self.pullStatement(
            userID: userID, deviceID: deviceID, after: cursor, limit: limit, check: nil, ownTransaction: false)
        let (outcome, rows) = try await push(
            opening, mutations: mutations, now: now, maxClockSkewSeconds: maxClockSkewSeconds, then: pull)
        guard let rows else { throw PostgresError(code: .decoding, message: "expected the pull's rows, got none") }
        // The opening found the cursor good under the user's row lock, which the pruning needs too: the page's own
        // check of it passes.
        return ExchangeOutcome(push: outcome, page: try await page(from: rows, of: userID, after: cursor, limit: limit, form: form))
    }

    /// Runs the push's transaction — two round trips for a batch of new records: BEGIN with the reads, the writes
    /// with COMMIT — with `then` sent after the writes, before COMMIT; returns its rows too (nil without it).
    private func push(
        _ opening: PushBatch.Opening, mutations: [Mutation], now: Date, maxClockSkewSeconds: Int,
        then: PostgresQuery? = nil
    ) async throws -> (outcome: PushOutcome, rows: PostgresRows?) {
        let (userID, deviceID) = (opening.userID, opening.deviceID)
        do {
            // The notice of a new version goes right after COMMIT, in the same round trip (ChangeNotice).
            let ((outcome, _), closed) = try await client.transaction(
                opening: opening.queries, afterCommit: { (_, notice: ChangeNotice?) in notice.map { [$0.afterCommit] } ?? [] }
            ) { opened, connection in
                var batch = try await PushBatch.begin(opening, opened: opened, on: connection)
                let nowMillis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
                for mutation in mutations {
                    batch.apply(
                        mutation, deviceID: deviceID, nowMillis: nowMillis, maxSkewMillis: Int64(maxClockSkewSeconds) * 1000)
                }
                return (
                    closing: try batch.writes(userID: userID, deviceID: deviceID) + (then.map { [$0] } ?? []),
                    result: (
                        outcome: PushOutcome(results: batch.results, lastMutationID: batch.lastAcknowledged),
                        notice: batch.notice(userID: userID)
                    )
                )
            }
            return (outcome, then == nil ? nil : closed.last)
        } catch is PushBatch.Refused {
            throw try await opening.check?.refusal(on: client) ?? TokenRefusal.invalid
        }
    }
}

/// One push in progress: the user's counter, the records it touches, and what it will write.
struct PushBatch {
    private(set) var version: Int64
    /// The user's version when the batch began: a commit that advanced it is announced (``ChangeNotice``).
    private let versionAtBegin: Int64
    private(set) var lastAcknowledged: Int64
    /// The device's recently acknowledged mutations, updated as the batch acknowledges more.
    private var acknowledged: AcknowledgedMutations
    private(set) var results: [MutationResult] = []
    /// Every record the batch reads: its targets and the records its references point to.
    private(set) var states: [UUID: RecordState]
    /// The ids of the records the batch read from their tables: the others are new (``EntityTable/Write``).
    private let stored: Set<UUID>
    /// The account's devices that the batch's clocks name (the pushing device always among them).
    private let accountDevices: Set<UUID>
    private var changed: [UUID: RecordState] = [:]
    private var conflicts: [ConflictRow] = []
    private var rejections: [RejectionRow] = []

    /// The statements a push begins with, sent with its BEGIN: the locks, which tables hold the ids the batch names,
    /// and (only when a clock names another device) which of those devices are the account's.
    struct Opening {
        let userID: UUID
        let deviceID: UUID
        /// Every id the batch names: its targets and the ids its fields hold.
        let ids: [UUID]
        /// The devices other than the pushing one that the batch's clocks name.
        let otherNodes: [UUID]
        /// The batch's lowest mutation id: at or below the device's last acknowledged one, the push reads the whole
        /// acknowledgement window.
        let firstMutationID: Int64?
        /// The token check the first statement runs, if any (``TokenCheck``).
        let check: TokenCheck?
        /// The cursor an exchange pulls from after the push: the locks statement also reads what says whether a pull
        /// can continue from it, and the push stores nothing if not.
        let continuing: SyncCursor?

        init(
            userID: UUID, deviceID: UUID, mutations: [Mutation], check: TokenCheck? = nil, continuing: SyncCursor? = nil
        ) {
            self.userID = userID
            self.deviceID = deviceID
            self.check = check
            self.continuing = continuing
            var ids = Set(mutations.map(\.id))
            for mutation in mutations {
                for value in (mutation.fields ?? [:]).values {
                    if let text = value.stringValue, let id = UUID(text: text) { ids.insert(id) }
                }
            }
            self.ids = Array(ids)
            self.otherNodes = Array(Set(mutations.compactMap { $0.hlc?.node }).subtracting([deviceID]))
            self.firstMutationID = mutations.map(\.mutationID).min()
        }

        /// The opening's statements in the order they run: a statement's rows are at its raw value in the results.
        /// Only the last may be left out.
        enum Statement: Int, CaseIterable {
            case plans, locks, tablesHolding, otherNodes
        }

        /// What the locks statement reads, after its first four columns, to tell whether a pull can continue from
        /// ``continuing`` (``SyncCursor/continues(epoch:prunedThrough:current:)``): the pruning mark and the epoch.
        private var cursorColumns: PostgresQuery {
            continuing == nil ? "" : ", u.pruned_through, \(SyncEpoch.value) AS epoch"
        }

        var queries: [PostgresQuery] {
            Statement.allCases.compactMap { statement -> PostgresQuery? in
                switch statement {
                case .plans:
                    // Planner settings for the rest of the push's transaction, in force before its first statement is
                    // planned: generic plans, no table read whole (``PostgresQuery/keyLookupsOnly``).
                    "SELECT \(PostgresQuery.keyLookupsOnly)"
                case .locks:
                    // One statement locks both rows, the user's first (the order every push takes them in); with a
                    // token check, only once the check passed (after the owner's allowance, which it holds too).
                    // Continuing a cursor, it reads the pruning mark and the epoch too (``cursorColumns``).
                    if let check {
                        """
                        WITH \(check.clauses)
                        SELECT u.version, d.last_mutation_id, d.acknowledged, \(TokenCheck.staleColumn)\(cursorColumns)
                        FROM users u JOIN devices d ON d.user_id = u.id
                        WHERE u.id = \(userID) AND d.id = \(deviceID) AND \(check.passed) FOR UPDATE OF u, d
                        """
                    } else {
                        """
                        SELECT u.version, d.last_mutation_id, d.acknowledged, false\(cursorColumns)
                        FROM users u JOIN devices d ON d.user_id = u.id
                        WHERE u.id = \(userID) AND d.id = \(deviceID) FOR UPDATE
                        """
                    }
                case .tablesHolding:
                    PushBatch.tablesHolding(ids, of: userID)
                case .otherNodes:
                    // A device re-pushing after a reset sends every field it holds with the clock it was written
                    // with, whichever device of the account wrote it (docs/sync-protocol.md §9.5); an ordinary push
                    // names only its own device, and pays nothing for this.
                    otherNodes.isEmpty
                        ? nil : "SELECT id FROM devices WHERE user_id = \(userID) AND id = ANY(\(otherNodes))"
                }
            }
        }
    }

    /// The opening's token check refused the push: it locked nothing and returns nothing, and is rolled back.
    struct Refused: Error {}

    /// Reads what the opening statements returned (they run after the locks, so they see every earlier push of this
    /// user), then loads every record the batch names from the tables that hold them.
    static func begin(_ opening: Opening, opened: [PostgresRows], on connection: PostgresConnection) async throws
        -> PushBatch
    {
        let locked = opened[Opening.Statement.locks.rawValue]
        if opening.check != nil && locked.isEmpty { throw Refused() }
        let row = try locked.single()
        let (counter, lastAcknowledged, recent, staleToken) = try row.decode((Int64, Int64, Data, Bool).self)
        if let cursor = opening.continuing {
            let (prunedThrough, epoch) = (try row.decode(Int64.self, at: 4), try row.decode(UUID.self, at: 5))
            guard cursor.continues(epoch: epoch, prunedThrough: prunedThrough, current: counter) else {
                throw SyncStore.PullError.resetRequired
            }
        }
        if let check = opening.check, staleToken {
            try await connection.execute(
                TokenCheck.touch(userID: opening.userID, deviceID: check.owner.deviceID, tokenID: check.owner.tokenID))
        }
        var acknowledged = AcknowledgedMutations(recent: Array(recent))
        if let first = opening.firstMutationID, first <= lastAcknowledged {
            // A resent mutation (a retry whose answer was lost): its entry may be in the older part.
            let older = try await connection.query(
                """
                SELECT entries FROM device_acknowledgements WHERE user_id = \(opening.userID) AND device_id = \(opening.deviceID)
                """
            ).first?.decode(Data.self, at: 0)
            acknowledged.includeOlder(bytes: Array(older ?? Data()))
        }
        // Ids are per account: only this user's records are looked at. A new record is in no table; only the tables
        // that hold any of the ids are read.
        let tables = Set(try opened[Opening.Statement.tablesHolding.rawValue].map { try $0.decode(Int32.self, at: 0) })
        var states: [UUID: RecordState] = [:]
        for (index, table) in EntityTable.all.enumerated() where tables.contains(Int32(index)) {
            let rows = try await connection.query(table.records(opening.ids, of: opening.userID))
            for row in rows {
                let state = try table.state(from: row)
                states[state.id] = state
            }
        }
        var accountDevices: Set<UUID> = [opening.deviceID]
        if !opening.otherNodes.isEmpty {
            accountDevices.formUnion(try opened[Opening.Statement.otherNodes.rawValue].map { try $0.decode(UUID.self, at: 0) })
        }
        return PushBatch(
            version: counter, lastAcknowledged: lastAcknowledged,
            acknowledged: acknowledged, states: states,
            accountDevices: accountDevices)
    }

    /// The indexes (in ``EntityTable/all``) of the tables holding this user's records among `ids`, by primary key:
    /// one lookup of `(user_id, id)` per id and table (``EntityTable/byKey``).
    fileprivate static func tablesHolding(_ ids: [UUID], of userID: UUID) -> PostgresQuery {
        let own = EntityTable.all.enumerated().map { index, table -> PostgresQuery in
            "SELECT \(Int32(index))::int4 AS t FROM \(table.table) WHERE \(EntityTable.byKey(userID))"
        }
        return "SELECT DISTINCT h.t FROM \(EntityTable.wanted(ids)) CROSS JOIN LATERAL (\(own.joined(separator: " UNION ALL "))) AS h"
    }

    private init(
        version: Int64, lastAcknowledged: Int64, acknowledged: AcknowledgedMutations, states: [UUID: RecordState],
        accountDevices: Set<UUID>
    ) {
        self.accountDevices = accountDevices
        self.version = version
        self.versionAtBegin = version
        self.lastAcknowledged = lastAcknowledged
        self.acknowledged = acknowledged
        self.states = states
        self.stored = Set(states.keys)
    }

    /// Decides one mutation and records its effects in memory.
    mutating func apply(_ mutation: Mutation, deviceID: UUID, nowMillis: Int64, maxSkewMillis: Int64) {
        guard mutation.mutationID > lastAcknowledged else {
            if acknowledged.recall(mutation) == .seen {
                results.append(MutationResult(mutationID: mutation.mutationID, status: .duplicate))
            } else {
                reject(
                    mutation, deviceID: deviceID, code: .mutationIDReused, field: "mutation_id",
                    message: "This device's mutation \(mutation.mutationID) was already acknowledged for a different "
                        + "change, or too long ago to compare; a device numbers its mutations in increasing order and "
                        + "never reuses a number. The change was not applied and is kept here.")
            }
            return
        }
        lastAcknowledged = mutation.mutationID
        acknowledged.record(mutation)
        if let rejection = precheck(mutation, deviceID: deviceID, nowMillis: nowMillis, maxSkewMillis: maxSkewMillis) {
            reject(mutation, deviceID: deviceID, code: rejection.code, field: rejection.field, message: rejection.message)
            return
        }
        let merge = Merge.apply(mutation, to: states[mutation.id], version: version + 1)
        if merge.changed, let state = merge.state {
            version += 1
            states[mutation.id] = state
            changed[mutation.id] = state
        }
        let result = MutationResult(mutationID: mutation.mutationID, merge: merge)
        if result.status == .rejected {
            rejections.append(RejectionRow(mutation, deviceID: deviceID, result: result))
        }
        for conflict in merge.conflicts {
            conflicts.append(
                ConflictRow(
                    entity: mutation.rawEntity, recordID: mutation.id, conflict: conflict, deviceID: deviceID,
                    mutationID: mutation.mutationID, version: states[mutation.id]?.version ?? version))
        }
        results.append(result)
    }

    /// Checks the server makes before merging: the clock is a device's of this account and not too far ahead, and every
    /// reference points to a record of this user of the right kind (a tombstone counts: references stay valid).
    func precheck(_ mutation: Mutation, deviceID: UUID, nowMillis: Int64, maxSkewMillis: Int64)
        -> (code: RejectionCode, field: String?, message: String)?
    {
        guard let hlc = mutation.hlc else { return nil }
        if hlc.isAhead(of: nowMillis, byMoreThan: maxSkewMillis) {
            return (.clockSkew, "hlc", "The clock is more than \(maxSkewMillis / 1000) s ahead of the server's.")
        }
        if !accountDevices.contains(hlc.node) {
            return (.invalidClock, "hlc", "The clock's device id must be the id of a device of this account.")
        }
        guard mutation.op == .upsert, let entity = mutation.entity else { return nil }
        for (name, target, id) in EntitySchema.schema(for: entity).references(in: mutation.fields ?? [:])
        where states[id]?.entity != target {
            return (.invalidReference, name, "\(name) must name a \(target.rawValue) of this account.")
        }
        return nil
    }

    private mutating func reject(_ mutation: Mutation, deviceID: UUID, code: RejectionCode, field: String?, message: String) {
        let result = MutationResult(mutationID: mutation.mutationID, status: .rejected, code: code, field: field, message: message)
        rejections.append(RejectionRow(mutation, deviceID: deviceID, result: result))
        results.append(result)
    }

    /// The statements that write the batch, sent with its COMMIT: conflicts and rejections when there are any, then
    /// the changed records (per entity, an insert of the new ones and an upsert of those it read), the counter and the
    /// device's acknowledgement in one statement.
    func writes(userID: UUID, deviceID: UUID) throws -> [PostgresQuery] {
        let encoder = JSONEncoder()
        var statements: [PostgresQuery] = []
        if !conflicts.isEmpty {
            let json = String(decoding: try encoder.encode(conflicts), as: UTF8.self)
            statements.append(
                """
                INSERT INTO sync_conflicts (user_id, entity, record_id, field, winning_value, winning_hlc, losing_value,
                                            losing_hlc, device_id, mutation_id, version)
                SELECT \(userID), entity, record_id, field, winning_value, winning_hlc, losing_value, losing_hlc,
                       device_id, mutation_id, version
                FROM jsonb_to_recordset(\(json)::jsonb) AS c(entity text, record_id uuid, field text, winning_value jsonb,
                     winning_hlc text, losing_value jsonb, losing_hlc text, device_id uuid, mutation_id bigint, version bigint)
                """)
        }
        if !rejections.isEmpty {
            let json = String(decoding: try encoder.encode(rejections), as: UTF8.self)
            statements.append(
                """
                INSERT INTO sync_rejections (user_id, device_id, mutation_id, entity, record_id, code, field, message, mutation)
                SELECT \(userID), \(deviceID), mutation_id, entity, record_id, code, field, message, mutation
                FROM jsonb_to_recordset(\(json)::jsonb) AS r(mutation_id bigint, entity text, record_id uuid, code text,
                     field text, message text, mutation jsonb)
                """)
        }
        // Data-modifying WITH queries all run, once, whether or not anything reads them: one round trip writes it all.
        var writes: [PostgresQuery] = []
        for table in EntityTable.all {
            let states = changed.values.filter { $0.entity == table.entity }
            let new = states.filter { !stored.contains($0.id) }
            if !new.isEmpty { writes.append("\(table.inserted) AS (\(table.write(new, userID: userID, as: .insert)))") }
            let known = states.filter { stored.contains($0.id) }
            if !known.isEmpty { writes.append("\(table.written) AS (\(table.write(known, userID: userID, as: .upsert)))") }
        }
        writes.append("counter AS (UPDATE users SET version = \(version) WHERE id = \(userID))")
        let window = acknowledged.writes(userID: userID, deviceID: deviceID)
        if let fold = window.fold { writes.append(fold) }
        statements.append(
            """
            WITH \(writes.joined(separator: ", "))
            UPDATE devices SET last_mutation_id = \(lastAcknowledged), \(window.recent), last_seen_at = now()
            WHERE user_id = \(userID) AND id = \(deviceID)
            """)
        return statements
    }

    /// What the batch announces once it has committed: the user's new version, when it moved.
    func notice(userID: UUID) -> ChangeNotice? {
        version > versionAtBegin ? ChangeNotice(userID: userID, version: version) : nil
    }
}

/// A conflict row for `sync_conflicts`.
struct ConflictRow: Encodable {
    let entity: String
    let record_id: UUID
    let field: String
    let winning_value: JSONValue
    let winning_hlc: String
    let losing_value: JSONValue
    let losing_hlc: String
    let device_id: UUID
    let mutation_id: Int64
    let version: Int64

    init(entity: String, recordID: UUID, conflict: FieldConflict, deviceID: UUID, mutationID: Int64, version: Int64) {
        self.entity = entity
        self.record_id = recordID
        self.field = conflict.field
        self.winning_value = conflict.winningValue
        self.winning_hlc = conflict.winningHLC.description
        self.losing_value = conflict.losingValue
        self.losing_hlc = conflict.losingHLC.description
        self.device_id = deviceID
        self.mutation_id = mutationID
        self.version = version
    }
}

/// A rejection row for `sync_rejections`, keeping the whole mutation as sent.
///
/// Text the database cannot hold (U+0000, which the mutation was rejected for) must never fail the push that
/// acknowledges it: such text is kept in its storable form (``AcceptedText/storable(_:)``) and the message says so.
struct RejectionRow: Encodable {
    let mutation_id: Int64
    let entity: String
    let record_id: UUID
    let code: String
    let field: String?
    let message: String
    let mutation: JSONValue

    init(_ mutation: Mutation, deviceID: UUID, result: MutationResult) {
        var sent: [UInt8] = []
        Self.json(of: mutation).appendJSON(to: &sent)
        let stored = Self.json(of: mutation).storable
        var kept: [UInt8] = []
        stored.appendJSON(to: &kept)
        let altered = sent != kept
        self.mutation_id = mutation.mutationID
        self.entity = AcceptedText.storable(mutation.rawEntity)
        self.record_id = mutation.id
        self.code = result.code?.rawValue ?? "rejected"
        self.field = result.field.map(AcceptedText.storable)
        let message = AcceptedText.storable(result.message ?? "")
        self.message =
            altered
            ? message + " The mutation is kept with U+FFFD in place of characters that cannot be stored." : message
        self.mutation = stored
    }

    /// The mutation as sent, as a JSON object.
    private static func json(of mutation: Mutation) -> JSONValue {
        var object: [String: JSONValue] = [
            "mutation_id": .integer(mutation.mutationID), "entity": .string(mutation.rawEntity),
            "id": .string(mutation.id.uuidString.lowercased()), "op": .string(mutation.rawOp),
            "hlc": .string(mutation.rawHLC),
        ]
        if let base = mutation.baseVersion { object["base_version"] = .integer(base) }
        if let fields = mutation.fields { object["fields"] = .object(fields) }
        return .object(object)
    }
}
