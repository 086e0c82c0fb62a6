/// How the engine retries what may succeed later (no network, 5xx, 429): exponential back-off with jitter.
public struct RetryPolicy: Hashable, Sendable {
    /// The wait after the first failure.
    public var initialDelay: Duration
    /// The longest wait between two attempts.
    public var maximumDelay: Duration
    /// Attempts of one request within one ``SyncEngine/sync()`` before it gives up (the edits stay queued).
    public var attemptsPerSync: Int
    /// The longest `Retry-After` the engine honours within a sync; a longer one ends the sync as rate limited.
    public var maximumRetryAfter: Duration

    public init(
        initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(60), attemptsPerSync: Int = 4,
        maximumRetryAfter: Duration = .seconds(120)
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.attemptsPerSync = max(1, attemptsPerSync)
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// The wait after `failures` consecutive failures (1 or more): doubling from ``initialDelay`` up to
    /// ``maximumDelay``, then a random point in its upper half, so that many devices do not retry in step.
    public func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let doublings = min(max(failures - 1, 0), 30)
        let ceiling = min(initialDelay * (1 << doublings), maximumDelay)
        let nanoseconds = max(ceiling / .nanoseconds(1), 1)
        let jittered = Double.random(in: 0.5...1, using: &generator) * nanoseconds
        return .nanoseconds(Int64(jittered))
    }

    /// ``delay(afterFailures:using:)`` with the system's random numbers.
    public func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, using: &generator)
    }
}
