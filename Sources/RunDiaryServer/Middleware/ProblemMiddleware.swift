import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Postgres
import RunDiaryModels

/// Turns every error into an RFC 9457 `application/problem+json` response with a stable `code`.
///
/// Anything unexpected becomes a 500 `internal_error` whose log line names the error's type only: error
/// descriptions can quote SQL values, which may be health data.
///
/// A path that exists with other methods answers 405 with `Allow`; a database that cannot be reached (down,
/// restarting, the server shutting down) answers 503 `database_unavailable` with `Retry-After`, logged with the kind
/// of failure only; a request turned away because every database connection is busy and the queue for one is full
/// answers 503 `server_busy` with `Retry-After: 1` (counted in `rundiary_database_errors_total{kind="pool_busy"}`).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let methods: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return problem(error.status, code: error.code, detail: error.detail, errors: error.errors)
                .response(headers: error.headers)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = methods.allowed(for: request.uri.path)
            guard !allowed.isEmpty else {
                return problem(.notFound, code: "not_found", detail: error.body ?? "Not found.").response(headers: error.headers)
            }
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            return problem(
                .methodNotAllowed, code: "method_not_allowed", detail: "This path answers \(allow) only."
            ).response(headers: [.allow: allow])
        } catch let error as HTTPError {
            return problem(error.status, code: Self.code(for: error.status), detail: error.body ?? error.status.reasonPhrase)
                .response(headers: error.headers)
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as PostgresError where error.code == .poolBusy {
            // Turned away, not queued: beyond what the database connections serve, requests would only wait longer
            // and hold more memory (`--db-max-waiting`).
            ServerMetrics.countDatabaseError(error)
            return problem(
                .serviceUnavailable, code: "server_busy", detail: "The server is at capacity; try again shortly."
            ).response(headers: [.retryAfter: "1"])
        } catch let error as PostgresError where error.isUnavailability {
            ServerMetrics.countDatabaseError(error)
            context.logger.warning("database unavailable", metadata: ["failure": .string(error.code.description)])
            return problem(
                .serviceUnavailable, code: "database_unavailable",
                detail: "The database cannot be reached right now; try again shortly."
            ).response(headers: [.retryAfter: "5"])
        } catch {
            if let error = error as? PostgresError { ServerMetrics.countDatabaseError(error) }
            context.logger.error("unhandled error", metadata: ["error_type": .string(String(describing: type(of: error)))])
            return problem(.internalServerError, code: "internal_error", detail: "The server could not complete the request.")
                .response()
        }
    }

    private func problem(_ status: HTTPResponse.Status, code: String, detail: String, errors: [ValidationIssue] = [])
        -> ProblemDetails
    {
        ProblemDetails(
            title: status.reasonPhrase, status: status.code, detail: detail, code: code,
            errors: errors.isEmpty ? nil : errors)
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .tooManyRequests: "rate_limited"
        case .serviceUnavailable: "unavailable"
        default: status.code >= 500 ? "internal_error" : "http_\(status.code)"
        }
    }
}
