import Foundation
import RunDiaryModels
import RunDiaryTestSupport

/// A test device speaking the sync protocol as a client would: its own clock, mutation ids and pull cursor.
struct SyncDevice {
    let server: TestServer
    let session: TestServer.Session
    private(set) var clock: HybridLogicalClock
    private(set) var nextMutationID: Int64 = 1
    var cursor: String?
    /// What the device holds after pulling: the latest change of each record.
    private(set) var records: [UUID: Change] = [:]
    /// The `clocks` its pulls ask for; nil sends none (the server's default, the per-field form).
    var clockForm: ClockForm?

    init(server: TestServer, session: TestServer.Session) {
        self.server = server
        self.session = session
        self.clock = HybridLogicalClock(node: session.deviceID)
    }

    /// An upsert stamped with this device's next clock and mutation id.
    mutating func upsert(
        _ entity: EntityKind, _ id: UUID, _ fields: [String: JSONValue], baseVersion: Int64? = nil
    ) -> Mutation {
        defer { nextMutationID += 1 }
        return Mutation(
            mutationID: nextMutationID, entity: entity, id: id, op: .upsert, hlc: clock.now(), baseVersion: baseVersion,
            fields: fields)
    }

    /// Moves this device's clock past `hlc`, so that its next edit is the later one whatever the wall clock says.
    mutating func clockPasses(_ hlc: HLC) {
        _ = clock.receive(hlc)
    }

    mutating func delete(_ entity: EntityKind, _ id: UUID) -> Mutation {
        defer { nextMutationID += 1 }
        return Mutation(mutationID: nextMutationID, entity: entity, id: id, op: .delete, hlc: clock.now())
    }

    /// Pushes mutations and returns the server's answer, failing on any status but 200.
    func push(_ mutations: [Mutation]) async throws -> PushResponse {
        let reply = try await server.send(
            .post, "/v1/sync/push", token: session.token, json: PushRequest(mutations: mutations))
        guard reply.status == .ok else { throw TestSetupError("push answered \(reply.status): \(reply.text)") }
        let response = try reply.decode(PushResponse.self)
        return response
    }

    /// Sends an exchange (a push, then a pull from `cursor`) and returns the server's reply, whatever its status.
    func exchange(_ mutations: [Mutation], cursor: String?, limit: Int = 500) async throws -> TestServer.Reply {
        var uri = "/v1/sync/exchange?limit=\(limit)"
        if let cursor { uri += "&cursor=\(cursor)" }
        if let clockForm { uri += "&clocks=\(clockForm.rawValue)" }
        return try await server.send(.post, uri, token: session.token, json: PushRequest(mutations: mutations))
    }

    /// Pulls pages until `has_more` is false, applying each change, and returns how many pages it took.
    @discardableResult
    mutating func pullAll(limit: Int = 500) async throws -> Int {
        var pages = 0
        while true {
            var uri = "/v1/sync/pull?limit=\(limit)"
            if let cursor { uri += "&cursor=\(cursor)" }
            if let clockForm { uri += "&clocks=\(clockForm.rawValue)" }
            let reply = try await server.send(.get, uri, token: session.token)
            guard reply.status == .ok else { throw TestSetupError("pull answered \(reply.status): \(reply.text)") }
            let page = try reply.decode(PullResponse.self)
            pages += 1
            for change in page.changes {
                records[change.id] = change
                for clock in change.clocks.values { _ = self.clock.receive(clock) }
            }
            cursor = page.cursor
            if !page.hasMore { return pages }
        }
    }
}
