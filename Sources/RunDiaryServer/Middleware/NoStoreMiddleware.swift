import HTTPTypes
import Hummingbird

/// Marks every response of the routes it wraps `Cache-Control: no-store`, unless the route chose otherwise: they all
/// carry account data or a token, which no cache (a proxy, a shared browser) may keep.
struct NoStoreMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
