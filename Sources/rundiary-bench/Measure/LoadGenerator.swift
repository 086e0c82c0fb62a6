/// Open-loop load: request `i` is due at `t0 + i / rate` whatever happened to earlier ones, and its latency is
/// measured from when it was due, so a slow server cannot slow the generator down and hide its own queueing
/// (no coordinated omission). Every due request gets its own task; there is no in-flight cap to wait on.
enum LoadGenerator {
    /// What one rate produced.
    struct Outcome: Sendable {
        let rate: Double
        let latency: LatencySummary
        let failures: Int
        /// How late the generator itself launched its most-late request: large values mean the bench, not the
        /// server, was the bottleneck.
        let maxLaunchLagMilliseconds: Double
        let achievedRate: Double
    }

    /// Runs `operation(i)` at `rate` per second for `seconds`; `operation` returns whether it succeeded.
    static func run(
        rate: Double, seconds: Double, operation: @escaping @Sendable (Int) async -> Bool
    ) async -> Outcome {
        let count = Int(rate * seconds)
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(20)
        return await withTaskGroup(of: (Bool, Double).self) { group in
            var maxLag = 0.0
            for index in 0..<count {
                let due = start + .seconds(Double(index) / rate)
                if clock.now < due { try? await clock.sleep(until: due, tolerance: .microseconds(50)) }
                maxLag = max(maxLag, (clock.now - due).milliseconds)
                group.addTask {
                    let succeeded = await operation(index)
                    return (succeeded, (clock.now - due).milliseconds)
                }
            }
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            var failures = 0
            for await (succeeded, latency) in group {
                if succeeded { latencies.append(latency) } else { failures += 1 }
            }
            let elapsed = (clock.now - start).seconds
            return Outcome(
                rate: rate, latency: LatencySummary(milliseconds: latencies), failures: failures,
                maxLaunchLagMilliseconds: maxLag, achievedRate: Double(count) / max(elapsed, seconds))
        }
    }
}
