import Hummingbird
import Postgres
import RunDiaryStore

/// `GET /health` (the process is alive) and `GET /ready` (the database answers and its schema is current; with this
/// instance's live channel figures).
struct HealthController: Sendable {
    let client: PostgresClient
    let migrator: Migrator
    let gate: SchemaGate?
    let live: LiveSync

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("health") { _, _ in
            StatusBody(status: "ok")
        }
        routes.get("ready") { _, _ in
            try await readiness()
        }
        return routes
    }

    private func readiness() async throws -> ReadinessBody {
        if let gate, !gate.isOpen {
            throw APIError(
                .serviceUnavailable, code: "database_unavailable", detail: "The server is waiting for its database.")
        }
        let status: Migrator.Status
        do {
            status = try await migrator.status()
        } catch {
            throw APIError(.serviceUnavailable, code: "database_unavailable", detail: "The database cannot be reached.")
        }
        guard status.isCurrent else {
            throw APIError(
                .serviceUnavailable, code: "migrations_pending",
                detail: "The database schema is not at this server's version; run `rundiary migrate`.")
        }
        return ReadinessBody(
            status: "ready",
            live: .init(
                listener: live.listenerStatus.rawValue, streams: live.registry.openStreams,
                longPolls: live.registry.waitingLongPolls))
    }
}

struct StatusBody: ResponseEncodable {
    let status: String
}

struct ReadinessBody: ResponseEncodable {
    /// This instance's live channel: whether its listener hears change notices, and what it holds open.
    struct Live: Encodable {
        let listener: String
        let streams: Int
        let longPolls: Int

        enum CodingKeys: String, CodingKey {
            case listener, streams
            case longPolls = "long_polls"
        }
    }

    let status: String
    let live: Live
}
