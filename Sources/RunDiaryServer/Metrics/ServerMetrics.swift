import Foundation
import Metrics
import Postgres
import RunDiaryModels

/// What the server counts, through swift-metrics: exported by `GET /metrics` when `rundiary serve` has a metrics
/// listener (``MetricsEndpoint``), a no-op otherwise.
///
/// Labels are bounded sets named by the program — verdicts, route patterns, kinds of failure — and never a user id,
/// an e-mail address, a token or a path. Figures that are a state rather than a count of events (the pool, the open
/// live streams, memory) are read when `/metrics` is scraped, by ``MetricsEndpoint``.
public enum ServerMetrics {
    /// Pushed mutations, by verdict (`applied`, `merged`, `duplicate`, `rejected`).
    static func countPush(_ results: [MutationResult]) {
        var byVerdict: [MutationStatus: Int] = [:]
        for result in results { byVerdict[result.status, default: 0] += 1 }
        for (verdict, count) in byVerdict {
            Counter(label: "rundiary_push_mutations_total", dimensions: [("verdict", verdict.rawValue)]).increment(by: count)
        }
    }

    /// Records sent by pulls.
    static func countPulled(_ records: Int) {
        Counter(label: "rundiary_pull_records_total").increment(by: records)
    }

    /// A failed login: `invalid_credentials` (wrong e-mail or password, disabled account) or `throttled`.
    static func countLoginFailure(_ reason: String) {
        Counter(label: "rundiary_login_failures_total", dimensions: [("reason", reason)]).increment()
    }

    /// A database error that reached a request: the kind of failure (`connection_failed`, `server`, …) and, for errors
    /// the server reported, the SQLSTATE's class (`23`, `40`, `57`, …).
    static func countDatabaseError(_ error: PostgresError) {
        let kind = error.code.description.replacingOccurrences(of: " ", with: "_")
        let sqlClass = error.sqlState.map { String($0.prefix(2)) } ?? ""
        Counter(label: "rundiary_database_errors_total", dimensions: [("kind", kind), ("sqlstate_class", sqlClass)])
            .increment()
    }
}
