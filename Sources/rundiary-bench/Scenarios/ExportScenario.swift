import Foundation
import NIOCore
import NIOFoundationCompat

/// Scenario 5 (issue 15 §2): the server's peak resident memory while it streams a 10,000-record diary in every
/// export format, and while eight requests open one share link at once (the attack that took the server to 517 MB).
///
/// Exports are streamed and bounded by the entries, so each figure should stay near the idle server's size; the
/// share-link burst meets the per-link cap, which answers the surplus 429 at once.
struct ExportScenario: Sendable {
    static let records = 10_000
    static let seedBatch = 500
    static let concurrentOpens = 8

    let context: BenchContext

    func run() async throws -> [BenchFigure] {
        let session = try await DiarySeed.plant(
            records: Self.records, batch: Self.seedBatch, label: "export-0", scenario: "export", context: context)

        var figures: [BenchFigure] = []
        for format in ["html", "pdf", "fhir", "csv", "zip"] {
            context.memory.reset()
            let idle = context.memory.peakMegabytes()
            let started = ContinuousClock.now
            let reply = try await context.api.get("/v1/export?format=\(format)", token: session.token)
            let elapsed = (ContinuousClock.now - started).seconds
            guard reply.isSuccess else { throw BenchError("export: \(format) answered \(reply.status) \(reply.text.prefix(300))") }
            let peak = context.memory.peakMegabytes()
            context.log(
                String(
                    format: "export: %@: %d bytes in %.0f ms, peak RSS %.1f MiB (%.1f before)", format, reply.body.readableBytes,
                    elapsed * 1000, peak, idle))
            figures.append(
                BenchFigure(
                    scenario: "export", metric: "peak RSS, \(format) of 10k records", value: peak, unit: "MiB",
                    note: String(
                        format: "%.1f MiB before; %.1f MB in %.0f ms", idle, Double(reply.body.readableBytes) / 1_000_000, elapsed * 1000)))
        }

        let created = try await context.api.post(
            "/v1/shares", json: ByteBuffer(string: #"{"label": "bench", "max_views": 1000}"#), token: session.token)
        guard created.isSuccess, let url = try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any],
            let link = (url["url"] as? String).flatMap(URL.init(string:))?.path
        else { throw BenchError("export: creating a share link failed: \(created.status) \(created.text.prefix(300))") }
        context.memory.reset()
        let idle = context.memory.peakMegabytes()
        let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
            for _ in 0..<Self.concurrentOpens {
                group.addTask { try await context.api.get(link, token: nil).status }
            }
            return try await group.reduce(into: [UInt]()) { $0.append($1) }
        }
        let served = statuses.filter { $0 == 200 }.count
        let refused = statuses.filter { $0 == 429 }.count
        guard served + refused == Self.concurrentOpens, served > 0 else {
            throw BenchError("export: share-link burst answered \(statuses)")
        }
        let peak = context.memory.peakMegabytes()
        context.log(
            String(
                format: "export: %d concurrent share-link opens: %d served, %d refused (429), peak RSS %.1f MiB", Self.concurrentOpens,
                served, refused, peak))
        figures.append(
            BenchFigure(
                scenario: "export", metric: "peak RSS, \(Self.concurrentOpens) concurrent share-link opens (HTML)", value: peak,
                unit: "MiB",
                note: String(format: "%.1f MiB before; %d served, %d answered 429 too_many_exports", idle, served, refused)))
        return figures
    }
}
