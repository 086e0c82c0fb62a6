import Foundation
import Hummingbird
import NIOCore
import RunDiaryModels
import RunDiaryStore

/// `POST /v1/sync/push`, `GET /v1/sync/pull` (with `wait`, a long-poll), `POST /v1/sync/exchange` (both in one),
/// `GET /v1/sync/conflicts`, `GET /v1/sync/rejections`.
struct SyncController: Sendable {
    let services: AppServices
    let store: SyncStore
    let clock: ServerClock
    let live: LiveSync

    /// The push, the pull and the exchange, which check the request's token in their own first statement when the
    /// context carries the check (``BearerAuthMiddleware/foldsCheck``).
    var checkingEndpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("push") { request, context in try await push(request, context: context) }
        routes.get("pull") { request, context in try await pull(request, context: context) }
        routes.post("exchange") { request, context in try await exchange(request, context: context) }
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
        let body = try await pushRequest(request, context: context)
        let outcome = try await context.withTokenCheck { check in
            try await store.push(
                userID: identity.userID, deviceID: identity.deviceID, mutations: body.mutations, now: Date(),
                maxClockSkewSeconds: services.configuration.maxClockSkewSeconds, check: check)
        }
        return jsonResponse(ByteBuffer(bytes: try pushed(body, outcome).json()))
    }

    private func pull(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let (cursor, limit, form) = try pullParameters(request)
        let wait = try ListPage.integer(request, "wait", default: 0, range: 0...services.configuration.maxPullWaitSeconds)
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
            throw APIError(.gone, code: "reset_required", detail: Self.resetRequiredDetail)
        }
        ServerMetrics.countPulled(page.count)
        return jsonResponse(PullResponseBody.encode(page, serverHLC: clock.now()))
    }

    /// `POST /v1/sync/exchange?cursor=&limit=&clocks=`: a push (the body, as `POST /v1/sync/push`) and then a pull
    /// (the query, as `GET /v1/sync/pull`) in one request and one transaction. Every refusal — of its body, its query,
    /// its token, or a cursor that calls for a reset (410, as a pull's) — comes before anything is stored.
    private func exchange(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let (cursor, limit, form) = try pullParameters(request)
        let body = try await pushRequest(request, context: context)
        let outcome: SyncStore.ExchangeOutcome
        do {
            outcome = try await context.withTokenCheck { check in
                try await store.exchange(
                    userID: identity.userID, deviceID: identity.deviceID, mutations: body.mutations, now: Date(),
                    maxClockSkewSeconds: services.configuration.maxClockSkewSeconds, after: cursor, limit: limit,
                    form: form, check: check)
            }
        } catch SyncStore.PullError.resetRequired {
            throw APIError(.gone, code: "reset_required", detail: Self.resetRequiredDetail)
        }
        ServerMetrics.countPulled(outcome.page.count)
        // {"push":<the push's answer>,"pull":<the page>}, the page written once into the buffer that is sent.
        let pushed = try pushed(body, outcome.push).json()
        var page = PullResponseBody.encode(outcome.page, serverHLC: clock.now())
        var whole = ByteBufferAllocator().buffer(capacity: pushed.count + page.readableBytes + 20)
        whole.writeString(#"{"push":"#)
        whole.writeBytes(pushed)
        whole.writeString(#","pull":"#)
        whole.writeBuffer(&page)
        whole.writeString("}")
        return jsonResponse(whole)
    }

    /// A push's body, checked as a whole: a `PushRequest` of this schema version within the mutation limit.
    private func pushRequest(_ request: Request, context: AppRequestContext) async throws -> PushRequest {
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
        return body
    }

    /// A stored push's answer; counts it and moves the server's clock past the clocks it accepted.
    private func pushed(_ body: PushRequest, _ outcome: SyncStore.PushOutcome) -> PushResponse {
        ServerMetrics.countPush(outcome.results)
        for (mutation, result) in zip(body.mutations, outcome.results) where result.status != .rejected {
            if let hlc = mutation.hlc { clock.receive(hlc) }
        }
        return PushResponse(results: outcome.results, lastMutationID: outcome.lastMutationID, serverHLC: clock.now())
    }

    /// A pull's `cursor`, `limit` and `clocks`.
    private func pullParameters(_ request: Request) throws -> (cursor: SyncCursor?, limit: Int, form: ClockForm) {
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
        return (cursor, limit, try Self.clockForm(request))
    }

    private static let resetRequiredDetail =
        "Changes after this cursor are no longer kept, or it predates a restore of the server's database; pull "
        + "again without a cursor, then push back what this device holds that the server lacks."
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
