import Foundation
import Hummingbird
import RunDiaryModels
import RunDiaryStore

/// The owner's share links: `POST /v1/shares`, `GET /v1/shares`, `DELETE /v1/shares/{id}` and
/// `GET /v1/shares/{id}/accesses`.
struct ShareController: Sendable {
    let services: AppServices

    /// How long a share link lives when the request does not say (the OpenAPI document states it as the default).
    static let defaultExpiryHours = 168

    struct ShareBody: Encodable {
        let id: UUID
        let label: String
        let from: LocalDate?
        let to: LocalDate?
        let include: [String]
        let expiresAt: Date
        let maxViews: Int?
        let views: Int
        let revokedAt: Date?
        let createdAt: Date
        let state: String

        enum CodingKeys: String, CodingKey {
            case id, label, from, to, include, views, state
            case expiresAt = "expires_at"
            case maxViews = "max_views"
            case revokedAt = "revoked_at"
            case createdAt = "created_at"
        }

        init(_ share: Share, now: Date) {
            id = share.id
            label = share.label
            from = share.from
            to = share.to
            include = share.include.map(\.rawValue)
            expiresAt = share.expiresAt
            maxViews = share.maxViews
            views = share.views
            revokedAt = share.revokedAt
            createdAt = share.createdAt
            state =
                if share.revokedAt != nil { "revoked" } else if share.expiresAt <= now {
                    "expired"
                } else if let max = share.maxViews,
                    share.views >= max
                { "used_up" } else { "active" }
        }
    }

    struct ShareList: ResponseEncodable {
        let shares: [ShareBody]
    }

    struct AccessBody: Encodable {
        let accessedAt: Date
        let format: String
        let clientAddress: String?
        let userAgent: String?

        enum CodingKeys: String, CodingKey {
            case format
            case accessedAt = "accessed_at"
            case clientAddress = "client_address"
            case userAgent = "user_agent"
        }
    }

    struct AccessList: ResponseEncodable {
        let accesses: [AccessBody]
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let store = ShareStore(client: services.client)
        let configuration = services.configuration
        routes.post { request, context in
            let identity = try context.requireIdentity()
            // Ranges, lengths, kinds and unknown fields are the OpenAPI document's (RequestValidationMiddleware).
            let body = try await request.decodeJSON(ShareCreateRequest.self, context: context, limit: configuration.maxBodyBytes)
            let include = try Self.include(body.include)
            let hours = body.expiresInHours ?? Self.defaultExpiryHours
            for (field, date) in [("from", body.from), ("to", body.to)] {
                if let date, !DiaryCalendar.contains(date) {
                    throw Self.invalid(
                        field, .outOfRange,
                        "\(field) must lie between \(DiaryCalendar.earliest) and \(DiaryCalendar.latest).")
                }
            }
            if let from = body.from, let to = body.to, to < from {
                throw Self.invalid("to", .outOfRange, "to must not be before from.")
            }
            let (share, token) = try await store.create(
                userID: identity.userID, label: body.label, from: body.from, to: body.to, include: include,
                expiresInHours: hours, maxViews: body.maxViews)
            let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
            return try jsonResponse(
                ShareCreated(id: share.id, url: base + "/share/" + token.text, expiresAt: share.expiresAt, label: share.label),
                status: .created)
        }
        routes.get { _, context in
            let identity = try context.requireIdentity()
            let now = Date()
            return ShareList(shares: try await store.list(userID: identity.userID).map { ShareBody($0, now: now) })
        }
        routes.delete(":id") { _, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self),
                try await store.revoke(userID: identity.userID, shareID: id)
            else { throw APIError.notFound("No such share.") }
            return Response(status: .noContent)
        }
        routes.get(":id/accesses") { _, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self),
                let accesses = try await store.accesses(userID: identity.userID, shareID: id)
            else { throw APIError.notFound("No such share.") }
            return AccessList(
                accesses: accesses.map {
                    AccessBody(accessedAt: $0.accessedAt, format: $0.format, clientAddress: $0.clientAddress, userAgent: $0.userAgent)
                })
        }
        return routes
    }

    /// The entity kinds a share shows: every kind when absent; unknown or no kinds are 422.
    static func include(_ names: [String]?) throws -> [EntityKind] {
        guard let names else { return EntityKind.allCases }
        var kinds: [EntityKind] = []
        for (index, name) in names.enumerated() {
            guard let kind = EntityKind(rawValue: name) else {
                throw invalid(
                    "include[\(index)]", .invalidValue,
                    "include[\(index)] is not an entity: \(EntityKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        guard !kinds.isEmpty else { throw invalid("include", .invalidValue, "include must name at least one entity.") }
        return kinds
    }

    static func invalid(_ field: String, _ code: ValidationCode, _ message: String) -> APIError {
        APIError(
            .unprocessableContent, code: code.rawValue, detail: message,
            errors: [ValidationIssue(field: field, code: code, message: message)])
    }
}
