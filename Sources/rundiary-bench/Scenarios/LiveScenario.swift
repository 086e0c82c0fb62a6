import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Scenario 5 (live sync): `devices` devices, two per account, one pushing and one holding the live stream. Pushes of
/// one new pain entry arrive open loop at 100/s, spread over the accounts; for each, the time from the push's answer
/// to the other device having pulled that record (woken by `changed`). Then the server's resident memory while
/// `idleStreams` streams are held open and quiet.
struct LiveScenario: Sendable {
    static let pushRate = 100.0
    static let p99Target = 50.0
    static let memoryTargetMegabytes = 200.0

    let context: BenchContext
    let devices: Int
    let idleStreams: Int
    let serverPID: Int32

    func run() async throws -> [BenchFigure] {
        var figures = try await measureDelivery()
        figures += try await measureIdleMemory()
        return figures
    }

    // MARK: - Delivery latency

    private func measureDelivery() async throws -> [BenchFigure] {
        let accountCount = max(1, devices / 2)
        context.log("live: \(accountCount) accounts × (pusher, streamer), seeded by direct SQL")
        let accounts = try await LiveAccounts.seed(prefix: "live", count: accountCount, psql: context.database.psql).accounts
        let deliveries = DeliveryClock()
        let opened = Counter()
        let changedEvents = Counter()
        let streamFailures = Counter()
        let api = context.api
        let streams = Task {
            await withTaskGroup(of: Void.self) { group in
                for account in accounts {
                    group.addTask {
                        let streamer = DeviceState(session: account.devices[1])
                        do {
                            try await LiveStream.follow(
                                http: api.http, baseURL: api.baseURL, token: streamer.session.token, opened: { opened.add() }
                            ) { event in
                                guard event.type == "changed" else { return }
                                changedEvents.add()
                                await Self.pullAll(streamer, api: api, deliveries: deliveries)
                            }
                        } catch {
                            if !Task.isCancelled { streamFailures.add() }
                        }
                    }
                }
            }
        }
        defer { streams.cancel() }
        try await Self.waitUntil("\(accountCount) streams open", timeout: .seconds(120)) {
            opened.value + streamFailures.value >= accountCount
        }
        guard streamFailures.value == 0 else { throw BenchError("live: \(streamFailures.value) streams could not be opened") }

        let pushers = accounts.map { DeviceState(session: $0.devices[0]) }
        let seconds = context.scale.liveSeconds
        context.log("live: \(Int(Self.pushRate)) pushes/s for \(seconds) s over \(accountCount) accounts")
        let outcome = await LoadGenerator.run(rate: Self.pushRate, seconds: seconds) { index in
            let pusher = pushers[index % pushers.count]
            let record = DiaryRecordFactory.painEntry(index, after: nil)
            let body = PushBody.make([record], firstMutationID: pusher.takeMutationIDs(1), device: pusher.session.deviceID)
            guard let reply = try? await api.post("/v1/sync/push", json: body, token: pusher.session.token), reply.isSuccess
            else { return false }
            deliveries.pushAnswered(record.id, at: .now)
            return true
        }
        // The last pushes' pulls are still on their way.
        try? await Self.waitUntil("the last deliveries", timeout: .seconds(10)) { deliveries.allDelivered }
        streams.cancel()
        _ = await streams.value

        let (milliseconds, undelivered) = deliveries.deliveries()
        let latency = LatencySummary(milliseconds: milliseconds)
        context.log(
            String(
                format:
                    "live: push → other device pulled: p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d undelivered, %d failed pushes, %d changed events",
                latency.p50, latency.p99, latency.max, undelivered, outcome.failures, changedEvents.value))
        var p99 = BenchFigure(
            scenario: "live", metric: "push answered → other device pulled, p99 @ 100/s, \(accountCount) streams",
            value: latency.p99, unit: "ms")
        p99.target = "< \(Int(Self.p99Target)) ms"
        p99.meetsTarget = latency.p99 < Self.p99Target && undelivered == 0 && outcome.failures == 0
        p99.note =
            "\(latency.count) deliveries, \(undelivered) undelivered, \(outcome.failures) failed pushes; "
            + "\(changedEvents.value) changed events; max \(String(format: "%.1f", latency.max)) ms"
        return [
            BenchFigure(
                scenario: "live", metric: "push answered → other device pulled, p50 @ 100/s, \(accountCount) streams",
                value: latency.p50, unit: "ms"),
            p99,
            BenchFigure(
                scenario: "live", metric: "push p99 @ 100/s (with \(accountCount) streams open)", value: outcome.latency.p99,
                unit: "ms", note: String(format: "generator launch lag ≤ %.1f ms", outcome.maxLaunchLagMilliseconds)),
        ]
    }

    /// Pulls from the device's cursor until `has_more` is false, noting when each record arrived.
    private static func pullAll(_ device: DeviceState, api: APIClient, deliveries: DeliveryClock) async {
        while true {
            let cursor = device.cursor
            guard
                let reply = try? await api.get(
                    APIClient.pullPath(cursor: cursor), token: device.session.token),
                reply.isSuccess, let page = PullReply(reply.body)
            else { return }
            deliveries.pulled(recordIDs(in: reply.body), at: .now)
            device.cursor = page.cursor
            if !page.hasMore { return }
        }
    }

    /// The ids of a pull page's changes (`"id":"…"`; a reference field is `"…_id":"…"`, never matched).
    private static func recordIDs(in body: ByteBuffer) -> [UUID] {
        let text = String(buffer: body)
        var ids: [UUID] = []
        var searchFrom = text.startIndex
        while let marker = text.range(of: "\"id\":\"", range: searchFrom..<text.endIndex) {
            let end = text.index(marker.upperBound, offsetBy: 36, limitedBy: text.endIndex) ?? text.endIndex
            if let id = UUID(uuidString: String(text[marker.upperBound..<end])) { ids.append(id) }
            searchFrom = end
        }
        return ids
    }

    // MARK: - Memory with idle streams

    private func measureIdleMemory() async throws -> [BenchFigure] {
        let accountCount = max(1, idleStreams / 2)
        context.log("live: \(accountCount * 2) idle streams (\(accountCount) accounts × 2 devices)")
        let accounts = try await LiveAccounts.seed(prefix: "idle", count: accountCount, psql: context.database.psql).accounts
        try await Task.sleep(for: .seconds(2))
        let before = Double(MemorySampler.field("VmRSS", pid: serverPID) ?? 0) / 1024
        let opened = Counter()
        let failures = Counter()
        let api = context.api
        let sessions = accounts.flatMap(\.devices)
        let streams = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, session) in sessions.enumerated() {
                    // At most 100 connecting at once: a burst of thousands would only measure the listen backlog.
                    while !Task.isCancelled, index - opened.value - failures.value >= 100 {
                        try? await Task.sleep(for: .milliseconds(5))
                    }
                    if Task.isCancelled { break }
                    group.addTask {
                        do {
                            try await LiveStream.follow(
                                http: api.http, baseURL: api.baseURL, token: session.token, opened: { opened.add() }
                            ) { _ in }
                        } catch {
                            if !Task.isCancelled { failures.add() }
                        }
                    }
                }
            }
        }
        defer { streams.cancel() }
        let started = ContinuousClock.now
        try await Self.waitUntil("\(sessions.count) idle streams open", timeout: .seconds(300)) {
            opened.value + failures.value >= sessions.count
        }
        let openSeconds = (ContinuousClock.now - started).seconds
        guard failures.value == 0 else { throw BenchError("live: \(failures.value) idle streams could not be opened") }
        try await Task.sleep(for: .seconds(3))
        let held = Double(MemorySampler.field("VmRSS", pid: serverPID) ?? 0) / 1024
        context.log(
            String(
                format: "live: %d idle streams open in %.1f s; RSS %.1f MiB (%.1f MiB before)", sessions.count, openSeconds, held, before))
        streams.cancel()
        _ = await streams.value

        var memory = BenchFigure(
            scenario: "live", metric: "server RSS with \(sessions.count) idle streams", value: held, unit: "MiB",
            note: String(format: "%.1f MiB before they opened", before))
        memory.target = "< \(Int(Self.memoryTargetMegabytes)) MB"
        memory.meetsTarget = held * 1.048_576 < Self.memoryTargetMegabytes
        return [
            memory,
            BenchFigure(
                scenario: "live", metric: "server memory per idle stream", value: (held - before) * 1024 / Double(sessions.count),
                unit: "KiB"),
        ]
    }

    /// Polls `condition` every 20 ms until it holds; throws after `timeout`.
    private static func waitUntil(_ what: String, timeout: Duration, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw BenchError("live: gave up waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// A count shared by many tasks.
final class Counter: Sendable {
    private let count = NIOLockedValueBox(0)

    func add() {
        count.withLockedValue { $0 += 1 }
    }

    var value: Int { count.withLockedValue { $0 } }
}
