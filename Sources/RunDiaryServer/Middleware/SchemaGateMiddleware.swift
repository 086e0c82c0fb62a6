import Hummingbird

/// Answers 503 `database_unavailable` (with `Retry-After`) until the ``SchemaGate`` has opened.
struct SchemaGateMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gate: SchemaGate?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let gate, !gate.isOpen {
            throw APIError(
                .serviceUnavailable, code: "database_unavailable",
                detail: "The server is waiting for its database; try again shortly.", headers: [.retryAfter: "5"])
        }
        return try await next(request, context)
    }
}
