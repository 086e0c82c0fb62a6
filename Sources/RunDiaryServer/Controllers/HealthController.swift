import Hummingbird
import Postgres
import RunDiaryStore

/// `GET /health` (the process is alive) and `GET /ready` (the database answers and its schema is current).
struct HealthController: Sendable {
    let client: PostgresClient
    let migrator: Migrator
    let gate: SchemaGate?

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

    private func readiness() async throws -> StatusBody {
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
        return StatusBody(status: "ready")
    }
}

struct StatusBody: ResponseEncodable {
    let status: String
}
