import Foundation

/// Scenario 3: the steady state of active phones. A tick is one small push (a new pain entry) followed by a pull
/// from the device's cursor; ticks are sent open loop at a fixed rate, spread round-robin over many devices, and
/// the rate is stepped up (always through 400/s) until p99 reaches 50 ms or a tick fails.
///
/// A tick is sent either as two requests (`POST /v1/sync/push`, then `GET /v1/sync/pull`) or as one exchange
/// (`POST /v1/sync/exchange`: the same push and pull in one request and one transaction).
struct SyncTickScenario: Sendable {
    static let ladder: [Double] = [100, 200, 400, 800, 1600, 3200]
    static let p99Limit = 50.0

    enum Mode: Sendable {
        case pushThenPull
        case exchange

        /// The name of its figures and log lines.
        var name: String { self == .exchange ? "sync exchange" : "sync tick" }
        /// Its devices' accounts' email prefix (one bench database holds every scenario's accounts).
        var accountPrefix: String { self == .exchange ? "exchange" : "tick" }
    }

    let context: BenchContext
    var mode: Mode = .pushThenPull

    func run() async throws -> [BenchFigure] {
        let count = context.scale.tickDevices
        context.log("\(mode.name): signing up \(count) devices")
        let devices = try await context.api.signUpDevices(prefix: mode.accountPrefix, count: count).map(DeviceState.init)
        // Untimed: every device starts as a long-used phone — a diary of 600 records pushed in two ticks of 300, so
        // its acknowledgement window is full (the server keeps at least the last 600 mutations' digests,
        // docs/sync-protocol.md §9.2) — and a cursor at the end.
        context.log("\(mode.name): \(count) devices push and pull a diary of 600 records each")
        for device in devices {
            for seed in [0, 300] {
                guard try await tick(device, records: DiaryRecordFactory.mixedBatch(count: 300, seed: seed)) else {
                    throw BenchError("\(mode.name): a warm-up tick failed")
                }
            }
        }

        // Settled as every seeded scenario is (DiarySeed): the warm-up's 76,800 records are not the steady state of
        // active phones. Vacuumed, so that autovacuum does not visit them during a step; checkpointed, so that their
        // pages are written now — not 30 s later (the kernel's dirty_expire), by its writeback, in front of the steps'
        // commit flushes.
        try await context.database.psql.run("VACUUM ANALYZE; CHECKPOINT;")

        // Beside every step, how long the disk under the cluster takes to make a write durable (DiskProbe).
        let dataDirectory = (try? await context.database.psql.run("SHOW data_directory;")) ?? ""
        let probe = dataDirectory.isEmpty ? nil : DiskProbe(directory: (dataDirectory as NSString).deletingLastPathComponent)
        defer { probe?.stop() }
        if probe == nil { context.log("\(mode.name): no disk probe (the cluster's data directory is not writable here)") }

        var figures: [BenchFigure] = []
        var held: Double?
        for rate in Self.ladder {
            context.log("\(mode.name): \(Int(rate)) ticks/s for \(context.scale.tickSeconds) s")
            _ = probe?.window()
            let cpuBefore = context.cpu.read()
            let outcome = await LoadGenerator.run(rate: rate, seconds: context.scale.tickSeconds) { index in
                let device = devices[index % devices.count]
                return (try? await tick(device, records: [DiaryRecordFactory.painEntry(index, after: nil)])) ?? false
            }
            let latency = outcome.latency
            let cpu = context.cpu.read() - cpuBefore
            let disk = probe?.window()
            let ticks = latency.count + outcome.failures
            context.log(
                "\(mode.name): "
                    + String(
                        format: "%.0f/s → p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, %d failed, launch lag ≤ %.1f ms",
                        rate, latency.p50, latency.p99, latency.p999, outcome.failures, outcome.maxLaunchLagMilliseconds)
                    + String(
                        format: "; CPU per tick: server %.2f ms, PostgreSQL %.2f ms, bench %.2f ms",
                        cpu.server * 1e3 / Double(max(ticks, 1)), cpu.postgres * 1e3 / Double(max(ticks, 1)),
                        cpu.bench * 1e3 / Double(max(ticks, 1)))
                    + (disk.map { String(format: "; disk fdatasync p99 %.1f ms, max %.1f ms", $0.p99, $0.max) } ?? ""))
            if rate <= 400 {
                let lag = String(format: "generator launch lag ≤ %.1f ms", outcome.maxLaunchLagMilliseconds)
                figures.append(
                    BenchFigure(scenario: mode.name, metric: "p50 @ \(Int(rate))/s", value: latency.p50, unit: "ms"))
                var p99 = BenchFigure(scenario: mode.name, metric: "p99 @ \(Int(rate))/s", value: latency.p99, unit: "ms")
                if rate == 400 {
                    p99.target = "< 20 ms"
                    p99.meetsTarget = latency.p99 < 20 && outcome.failures == 0
                }
                figures.append(p99)
                figures.append(
                    BenchFigure(
                        scenario: mode.name, metric: "p99.9 @ \(Int(rate))/s", value: latency.p999, unit: "ms",
                        note: outcome.failures > 0 ? "\(outcome.failures) failed ticks; \(lag)" : lag))
                figures += cpu.figures(scenario: mode.name, per: "tick", ticks, at: "\(Int(rate))/s")
                if let disk {
                    figures.append(
                        BenchFigure(
                            scenario: mode.name, metric: "disk fdatasync max @ \(Int(rate))/s", value: disk.max, unit: "ms",
                            note: String(format: "8 KiB write + fdatasync every 10 ms beside the step; p99 %.1f ms", disk.p99)))
                }
            }
            let holds = latency.p99 < Self.p99Limit && outcome.failures == 0
            if holds, held == nil || held == rate / 2 { held = rate }
            // 100, 200 and 400 ticks/s are always measured; above them the ladder stops at the first rate not held.
            guard holds || rate < 400 else { break }
            try await Task.sleep(for: .seconds(1))  // let stragglers and autovacuum settle between steps
        }
        figures.append(
            BenchFigure(
                scenario: mode.name, metric: "highest rate with p99 < 50 ms", value: held ?? 0, unit: "ticks/s",
                note: "ladder \(Self.ladder.map { String(Int($0)) }.joined(separator: ", ")); next step failed or ended"))
        return figures
    }

    /// One tick: push `records` as new mutations, then pull from the device's cursor and keep the new cursor.
    private func tick(_ device: DeviceState, records: [GeneratedRecord]) async throws -> Bool {
        let body = PushBody.make(records, firstMutationID: device.takeMutationIDs(records.count), device: device.session.deviceID)
        if mode == .exchange {
            let path = "/v1/sync/exchange" + APIClient.pullPath(cursor: device.cursor).dropFirst("/v1/sync/pull".count)
            let exchanged = try await context.api.post(path, json: body, token: device.session.token)
            // The page is the answer's last member: its cursor is found as a pull's is.
            guard exchanged.isSuccess, let page = PullReply(exchanged.body) else { return false }
            device.cursor = page.cursor
            return true
        }
        let pushed = try await context.api.post("/v1/sync/push", json: body, token: device.session.token)
        guard pushed.isSuccess else { return false }
        let cursor = device.cursor
        let pulled = try await context.api.get(
            APIClient.pullPath(cursor: cursor), token: device.session.token)
        guard pulled.isSuccess, let page = PullReply(pulled.body) else { return false }
        device.cursor = page.cursor
        return true
    }
}
