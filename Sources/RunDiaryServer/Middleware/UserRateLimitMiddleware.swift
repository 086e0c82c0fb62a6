import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// Caps each user's request rate with a token bucket: `burst` requests at once, refilled at `perSecond`.
/// Over the limit: 429 `rate_limited` with `Retry-After`. In memory, per server instance.
struct UserRateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    private let buckets: TokenBuckets

    init(perSecond: Double, burst: Double) {
        buckets = TokenBuckets(perSecond: perSecond, burst: burst)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let identity = try context.requireIdentity()
        if let wait = buckets.take(for: identity.userID) {
            throw APIError(
                .tooManyRequests, code: "rate_limited", detail: "Too many requests; slow down.",
                headers: [.retryAfter: String(wait)])
        }
        return try await next(request, context)
    }
}

/// One token bucket per key.
final class TokenBuckets: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = NIOLockedValueBox([UUID: Bucket]())
    private let perSecond: Double
    private let burst: Double

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Takes one token; returns nil when allowed, else the whole seconds until a token is back.
    func take(for key: UUID) -> Int? {
        let now = ContinuousClock.now
        return buckets.withLockedValue { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > 100_000 { buckets = buckets.filter { $0.value.tokens < burst } }
            }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
