import Foundation
import RunDiaryModels
import RunDiaryTestSupport

/// A device with a local copy of the diary, syncing as docs/sync-protocol.md §9.5 says a client must — including
/// the reset after a restore of the server's database (410 `reset_required`): pull everything again, then push back
/// every local field whose clock is newer than the server's, with that field's original clock.
///
/// Protocol-level, written from the document (not the RunDiarySync engine), so that it shows the protocol is enough.
/// Requests that fail on the way (a server instance killed, a proxy's 502) are sent again: pushes are idempotent.
struct DiaryDevice {
    /// What the device holds of one record.
    struct Record: Equatable {
        var entity: EntityKind
        var fields: [String: JSONValue] = [:]
        var clocks: [String: HLC] = [:]
        /// Deleted, with the delete's clock when this device made (or pushed) the delete.
        var deleted = false
        var deletedClock: HLC?
        /// The server version of the record's last change this device pulled.
        var version: Int64?
    }

    let deviceID: UUID
    var web: WebClient
    var token: String
    private(set) var clock: HybridLogicalClock
    private(set) var nextMutationID: Int64 = 1
    private(set) var cursor: String?
    private(set) var records: [UUID: Record] = [:]
    /// Made here, not yet acknowledged by the server.
    private(set) var queue: [Mutation] = []
    /// How many resets the device went through.
    private(set) var resets = 0

    init(web: WebClient, email: String, deviceID: UUID = UUID()) async throws {
        self.deviceID = deviceID
        self.web = web
        self.token = try await web.signIn(email: email, deviceID: deviceID)
        self.clock = HybridLogicalClock(node: deviceID)
    }

    // MARK: Editing

    /// Sets fields of a record (creating it), stamped now, applied locally and queued.
    mutating func upsert(_ entity: EntityKind, _ id: UUID, _ fields: [String: JSONValue]) {
        let hlc = clock.now()
        var record = records[id] ?? Record(entity: entity)
        for (name, value) in fields {
            // Held as the server stores it: a reference's UUID in lowercase (the shared merge's canonical form).
            if let text = value.stringValue, text.utf8.count == 36, UUID(uuidString: text) != nil {
                record.fields[name] = .string(text.lowercased())
            } else {
                record.fields[name] = value
            }
            record.clocks[name] = hlc
        }
        records[id] = record
        enqueue(Mutation(mutationID: 0, entity: entity, id: id, op: .upsert, hlc: hlc, baseVersion: record.version, fields: fields))
    }

    mutating func delete(_ entity: EntityKind, _ id: UUID) {
        let hlc = clock.now()
        var record = records[id] ?? Record(entity: entity)
        record.deleted = true
        record.deletedClock = hlc
        records[id] = record
        enqueue(Mutation(mutationID: 0, entity: entity, id: id, op: .delete, hlc: hlc))
    }

    private mutating func enqueue(_ mutation: Mutation) {
        var mutation = mutation
        mutation.mutationID = nextMutationID
        nextMutationID += 1
        queue.append(mutation)
    }

    // MARK: Syncing

    /// Pushes the queue, then pulls until there is nothing more; after a 410, resets (``reset()``).
    mutating func sync() async throws {
        try await pushQueue()
        var held = records
        let end = try await pull(into: &held)
        records = held
        if end == .resetRequired { try await reset() }
    }

    private mutating func pushQueue() async throws {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(500))
            let response = try await push(batch)
            queue.removeAll { $0.mutationID <= response.lastMutationID }
        }
    }

    private mutating func push(_ mutations: [Mutation]) async throws -> PushResponse {
        let reply = try await request { [token] web in
            try await web.send(.POST, "/v1/sync/push", token: token, json: PushRequest(mutations: mutations))
        }
        guard reply.status == 200 else { throw TestSetupError("push answered \(reply.status): \(reply.text)") }
        let response = try reply.decode(PushResponse.self)
        if let rejected = response.results.first(where: { $0.status == .rejected }) {
            throw TestSetupError(
                "the server rejected mutation \(rejected.mutationID): \(rejected.code?.rawValue ?? "") \(rejected.message ?? "")")
        }
        _ = clock.receive(response.serverHLC)
        return response
    }

    private enum PullEnd { case current, resetRequired }

    /// Pulls pages from the cursor, merging each change into `target` (last writer wins per field, deletes final).
    private mutating func pull(into target: inout [UUID: Record]) async throws -> PullEnd {
        while true {
            let path = "/v1/sync/pull?limit=200" + (cursor.map { "&cursor=\($0)" } ?? "")
            let reply = try await request { [token] web in try await web.send(.GET, path, token: token) }
            if reply.status == 410, reply.json["code"] as? String == "reset_required" { return .resetRequired }
            guard reply.status == 200 else { throw TestSetupError("pull answered \(reply.status): \(reply.text)") }
            let page = try reply.decode(PullResponse.self)
            for change in page.changes { Self.merge(change, into: &target) }
            for change in page.changes { for hlc in change.clocks.values { _ = clock.receive(hlc) } }
            _ = clock.receive(page.serverHLC)
            cursor = page.cursor
            if !page.hasMore { return .current }
        }
    }

    private static func merge(_ change: Change, into records: inout [UUID: Record]) {
        var record = records[change.id] ?? Record(entity: change.entity)
        record.version = change.version
        if change.deleted || record.deleted {
            record.deleted = true
            record.fields = [:]
            record.clocks = [:]
        } else {
            for (name, hlc) in change.clocks where record.clocks[name].map({ hlc > $0 }) ?? true {
                record.fields[name] = change.fields[name] ?? .null
                record.clocks[name] = hlc
            }
        }
        records[change.id] = record
    }

    /// After 410 `reset_required` (the server's database was restored, or pruned past the cursor): pull the server's
    /// whole diary, push back every field this device holds with a newer clock than the server's — with its original
    /// clock, whichever device of the account wrote it — and every delete the server lacks, then take the server's
    /// state for everything else.
    private mutating func reset() async throws {
        resets += 1
        cursor = nil
        var server: [UUID: Record] = [:]
        guard try await pull(into: &server) == .current else { throw TestSetupError("a pull from no cursor asked to reset") }

        var repush: [Mutation] = []
        // Referenced records first, so that every reference names a record the server already has.
        let order: [EntityKind] = [.gear, .plan, .planItem, .run, .painEntry, .exerciseLog]
        for (id, local) in records.sorted(by: { order.firstIndex(of: $0.value.entity)! < order.firstIndex(of: $1.value.entity)! }) {
            let stored = server[id]
            if stored?.deleted == true { continue }
            if local.deleted {
                if let hlc = local.deletedClock {
                    repush.append(Mutation(mutationID: 0, entity: local.entity, id: id, op: .delete, hlc: hlc))
                }
                continue
            }
            let newer = local.clocks.filter { name, hlc in stored?.clocks[name].map { hlc > $0 } ?? true }
            guard !newer.isEmpty else { continue }
            var groups = Dictionary(grouping: newer.keys) { newer[$0]! }
            if stored == nil, let oldest = local.clocks.values.min() {
                // The server lost the record: create it whole, as its oldest write; every later write then follows
                // with its own clock, so each field ends with exactly the clock it had.
                repush.append(
                    Mutation(mutationID: 0, entity: local.entity, id: id, op: .upsert, hlc: oldest, fields: local.fields))
                groups[oldest] = nil
            }
            for (hlc, names) in groups.sorted(by: { $0.key < $1.key }) {
                let fields = Dictionary(uniqueKeysWithValues: names.map { ($0, local.fields[$0] ?? .null) })
                repush.append(
                    Mutation(
                        mutationID: 0, entity: local.entity, id: id, op: .upsert, hlc: hlc, baseVersion: stored?.version,
                        fields: fields))
            }
        }
        for mutation in repush { enqueue(mutation) }
        // What is local and newer stays; the server's state fills in the rest.
        for (id, stored) in server {
            Self.merge(
                Change(
                    entity: stored.entity, id: id, version: stored.version ?? 0, deleted: stored.deleted, fields: stored.fields,
                    clocks: stored.clocks), into: &records)
        }
        try await pushQueue()
        var held = records
        _ = try await pull(into: &held)
        records = held
    }

    /// Sends a request until it gets an answer from a server: a connection that fails, or a proxy answering 502/503/504
    /// for an instance that is gone, is tried again (at most 50 times, 100 ms apart).
    private func request(_ send: (WebClient) async throws -> WebClient.Reply) async throws -> WebClient.Reply {
        var lastError: (any Error)?
        for _ in 0..<50 {
            do {
                let reply = try await send(web)
                if ![502, 503, 504].contains(reply.status) { return reply }
                lastError = TestSetupError("answered \(reply.status): \(reply.text)")
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw lastError ?? TestSetupError("no answer")
    }
}
