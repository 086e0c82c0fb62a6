import Foundation
import NIOCore
import NIOFoundationCompat
import RunDiaryModels

/// Scenario 2: a new phone of a runner with 10,000 records pulls everything from no cursor in pages of 1,000;
/// beside it, the store's pull of the same pages called directly, and the least SQL's 1,000-row range read.
struct InitialPullScenario: Sendable {
    static let records = 10_000
    static let seedBatch = 500
    static let pageSize = 1000

    let context: BenchContext

    func run() async throws -> [BenchFigure] {
        let session = try await DiarySeed.plant(
            records: Self.records, batch: Self.seedBatch, label: "pull-0", scenario: "initial pull", context: context)

        _ = try await pullEverything(session)  // untimed: warms the server's and PostgreSQL's caches
        var totals: [Double] = []
        for run in 0..<context.scale.initialPullRepeats {
            let started = ContinuousClock.now
            let pages = try await pullEverything(session)
            let elapsed = (ContinuousClock.now - started).seconds
            let decoded = try pages.map { try JSONDecoder().decode(PullResponse.self, from: Data(buffer: $0)) }
            let count = Set(decoded.flatMap { $0.changes.map(\.id) }).count
            guard count == Self.records else {
                let shape = decoded.map { "\($0.changes.count)\($0.hasMore ? "+" : "")" }.joined(separator: " ")
                throw BenchError("initial pull: pulled \(count) distinct records, expected \(Self.records); pages: \(shape)")
            }
            context.log(String(format: "initial pull: run %d: %.0f ms (%d pages)", run + 1, elapsed * 1000, pages.count))
            totals.append(elapsed)
        }
        let median = totals.sorted()[totals.count / 2]

        context.log("initial pull: the store's pull for \(context.scale.ceilingSeconds) s")
        let store = try await context.store.pull(
            user: session.userID, device: session.deviceID, firstVersion: 0, pages: Self.records / Self.pageSize,
            pageSize: Self.pageSize, seconds: Double(context.scale.ceilingSeconds))
        context.log("initial pull: least SQL in pgbench for \(context.scale.ceilingSeconds) s")
        let least = try await context.leastSQL.pull(seconds: context.scale.ceilingSeconds)
        let recordsPerSecond = Double(Self.records) / median
        let pages = Double(Self.records / Self.pageSize)
        return [
            BenchFigure(
                scenario: "initial pull", metric: "records/s (10k, pages of 1,000)", value: recordsPerSecond, unit: "rec/s",
                ceiling: store.pagesPerSecond * Double(Self.pageSize), leastCeiling: least.rowsPerSecond,
                target: "≥ 150,000 rec/s", meetsTarget: recordsPerSecond >= 150_000, note: "median of \(totals.count) runs"),
            BenchFigure(
                scenario: "initial pull", metric: "total time (10 pages)", value: median * 1000, unit: "ms",
                ceiling: pages * store.meanMilliseconds, leastCeiling: pages * least.meanMilliseconds),
        ]
    }

    /// Pulls from no cursor until `has_more` is false; returns every page's body.
    private func pullEverything(_ session: DeviceSession) async throws -> [ByteBuffer] {
        var pages: [ByteBuffer] = []
        var cursor = ""
        repeat {
            let reply = try await context.api.get(
                APIClient.pullPath(cursor: cursor, limit: Self.pageSize), token: session.token)
            guard reply.isSuccess, let page = PullReply(reply.body) else {
                throw BenchError("initial pull: pull failed: \(reply.status) \(reply.text.prefix(300))")
            }
            pages.append(reply.body)
            cursor = page.cursor
            if !page.hasMore { break }
        } while pages.count <= Self.records / Self.pageSize + 1
        return pages
    }
}
