import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RunDiaryModels

/// Turns every error into an RFC 9457 `application/problem+json` response with a stable `code`.
///
/// Anything unexpected becomes a 500 `internal_error` whose log line names the error's type only: error
/// descriptions can quote SQL values, which may be health data.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return problem(error.status, code: error.code, detail: error.detail, errors: error.errors)
                .response(headers: error.headers)
        } catch let error as HTTPError {
            return problem(error.status, code: Self.code(for: error.status), detail: error.body ?? error.status.reasonPhrase)
                .response(headers: error.headers)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
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
