import Foundation
import Hummingbird
import Logging

/// Logs one line per request: request id, method, route, status and duration.
///
/// It logs the matched route pattern (`/share/{token}`), never the concrete path, query, headers or body, so that
/// neither tokens nor health data reach the log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - started
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            context.logger.info(
                "request",
                metadata: [
                    "method": .string(request.method.rawValue),
                    "route": .string(context.endpointPath ?? "(unmatched)"),
                    "status": .stringConvertible(status),
                    "duration_ms": .string(milliseconds.twoDecimals),
                ])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}

extension Double {
    /// The number rounded to two decimals, written without `String(format:)` (Foundation's
    /// formatter was 1.3 % of the server's CPU in a sync tick); negative numbers write as 0.00.
    package var twoDecimals: String {
        let hundredths = Int((Swift.max(0, self) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
