import Foundation
import Hummingbird
import NIOCore
import RunDiaryModels
import RunDiaryStore

/// `POST /v1/sync/push`, `GET /v1/sync/pull` (with `wait`, a long-poll), `GET /v1/sync/conflicts`,
/// `GET /v1/sync/rejections`.
struct SyncController: Sendable {
    let services: AppServices
    let store: SyncStore
    let clock: ServerClock
    let live: LiveSync

    /// The push and the pull, which check the request's token in their own first statement when the context carries
    /// the check (``BearerAuthMiddleware/foldsCheck``).
    var checkingEndpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("push") { request, context in try await push(request, context: context) }
        routes.get("pull") { request, context in try await pull(request, context: context) }
        return routes
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("conflicts") { request, context in
            let identity = try context.requireIdentity()
            let page = try ListPage(request)
            let conflicts = try await store.conflicts(userID: identity.userID, before: page.before, limit: page.limit)
            return try jsonResponse(ConflictList(conflicts: conflicts, serverHLC: clock.now()))
        }
        routes.get("rejections") { request, context in
            let identity = try context.requireIdentity()
            let page = try ListPage(request)
            let rejections = try await store.rejections(userID: identity.userID, before: page.before, limit: page.limit)
            return try jsonResponse(RejectionList(rejections: rejections, serverHLC: clock.now()))
        }
        return routes
    }

    private func push(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let configuration = services.configuration
        // Text is checked per mutation (Merge refuses it as invalid_value), so one bad note does not block the rest.
        let json = try await request.parseJSONBody(context: context, limit: configuration.maxBodyBytes, checkingText: false)
        let body: PushRequest
        do {
            body = try PushRequest(json: json)
        } catch {
            throw APIError(
                .unprocessableContent, code: error.issue.code.rawValue, detail: error.issue.message, errors: [error.issue])
        }
        guard body.schemaVersion == PushRequest.currentSchemaVersion else {
            throw APIError(
                .unprocessableContent, code: "unsupported_schema_version",
                detail: "This server speaks schema_version \(PushRequest.currentSchemaVersion).",
                errors: [.init(field: "schema_version", code: .invalidValue, message: "Must be \(PushRequest.currentSchemaVersion).")])
        }
        guard body.mutations.count <= configuration.maxMutationsPerPush else {
            throw APIError(
                .contentTooLarge, code: "too_many_mutations",
                detail: "A push may carry at most \(configuration.maxMutationsPerPush) mutations; send the rest in another push.")
        }
        let outcome = try await context.withTokenCheck { check in
            try await store.push(
                userID: identity.userID, deviceID: identity.deviceID, mutations: body.mutations, now: Date(),
                maxClockSkewSeconds: configuration.maxClockSkewSeconds, check: check)
        }
        ServerMetrics.countPush(outcome.results)
        for (mutation, result) in zip(body.mutations, outcome.results) where result.status != .rejected {
            if let hlc = mutation.hlc { clock.receive(hlc) }
        }
        let response = PushResponse(results: outcome.results, lastMutationID: outcome.lastMutationID, serverHLC: clock.now())
        return jsonResponse(ByteBuffer(bytes: try response.json()))
    }

    private func pull(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let configuration = services.configuration
        var cursor: SyncCursor?
        if let text = request.uri.queryParameters["cursor"].map(String.init), !text.isEmpty {
            guard let parsed = SyncCursor(text: text) else {
                throw APIError(.badRequest, code: "invalid_cursor", detail: "The cursor is not one this server issued.")
            }
            cursor = parsed
        }
        let limit = try ListPage.integer(
            request, "limit", default: configuration.pullDefaultLimit, range: 1...configuration.pullMaxLimit)
        let wait = try ListPage.integer(request, "wait", default: 0, range: 0...configuration.maxPullWaitSeconds)
        let form = try Self.clockForm(request)
        let read = {
            try await context.withTokenCheck { check in
                try await store.pull(
                    userID: identity.userID, deviceID: identity.deviceID, after: cursor, limit: limit, form: form, check: check)
            }
        }
        let page: SyncStore.PullPage
        do {
            if wait == 0 {
                page = try await read()
            } else {
                page = try await live.longPoll(
                    identity: identity, position: cursor?.version ?? 0, wait: .seconds(wait), read: read)
            }
        } catch SyncStore.PullError.resetRequired {
            throw APIError(
                .gone, code: "reset_required",
                detail: "Changes after this cursor are no longer kept, or it predates a restore of the server's database; pull "
                    + "again without a cursor, then push back what this device holds that the server lacks.")
        }
        ServerMetrics.countPulled(page.count)
        return jsonResponse(PullResponseBody.encode(page, serverHLC: clock.now()))
    }
}

extension SyncController {
    /// `?clocks=`: `per_field` (the default, what every client before the shared form reads) or `shared`.
    static func clockForm(_ request: Request) throws -> ClockForm {
        guard let text = request.uri.queryParameters["clocks"].map(String.init), !text.isEmpty else { return .perField }
        guard let form = ClockForm(rawValue: text) else {
            let message = "clocks must be one of: \(ClockForm.allCases.map(\.rawValue).joined(separator: ", "))."
            throw APIError(
                .unprocessableContent, code: "invalid_value", detail: message,
                errors: [.init(field: "clocks", code: .invalidValue, message: message)])
        }
        return form
    }
}

/// `?before=&limit=` of the journal listings.
struct ListPage {
    let before: Int64?
    let limit: Int

    init(_ request: Request) throws {
        limit = try Self.integer(request, "limit", default: 100, range: 1...1000)
        let before = try Self.integer(request, "before", default: 0, range: 1...Int.max)
        self.before = before == 0 ? nil : Int64(before)
    }

    /// A whole-number query parameter within `range`, or 422 naming it.
    static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters[name[...]].map(String.init), !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            let message = "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)."
            throw APIError(
                .unprocessableContent, code: "out_of_range", detail: message,
                errors: [.init(field: name, code: .outOfRange, message: message)])
        }
        return number
    }
}

struct ConflictList: Encodable {
    let conflicts: [SyncStore.ConflictRecord]
    let serverHLC: HLC

    enum CodingKeys: String, CodingKey {
        case conflicts
        case serverHLC = "server_hlc"
    }
}

struct RejectionList: Encodable {
    let rejections: [SyncStore.RejectionRecord]
    let serverHLC: HLC

    enum CodingKeys: String, CodingKey {
        case rejections
        case serverHLC = "server_hlc"
    }
}
