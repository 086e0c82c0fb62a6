import HTTPTypes
import Hummingbird
import RunDiaryModels

/// An error a route answers with: an HTTP status, a stable machine-readable `code` and a human message.
/// Rendered as RFC 9457 `application/problem+json` by ``ProblemMiddleware``.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var detail: String
    public var errors: [ValidationIssue]
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, code: String, detail: String, errors: [ValidationIssue] = [],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    static func badRequest(_ code: String, _ detail: String) -> APIError {
        APIError(.badRequest, code: code, detail: detail)
    }

    static let unauthorized = APIError(
        .unauthorized, code: "unauthorized", detail: "A valid bearer token is required.",
        headers: [.wwwAuthenticate: "Bearer"])

    static func notFound(_ detail: String = "Not found.") -> APIError {
        APIError(.notFound, code: "not_found", detail: detail)
    }
}
