import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

/// `rundiary-bench`: starts a release `rundiary serve` on a fresh bench database, runs the scenarios over loopback
/// beside pgbench ceilings, and prints a table (or JSON).
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rundiary-bench",
        abstract: "Measure RunDiary's sync server beside what PostgreSQL alone does on the same machine.",
        discussion: """
            Run it through deploy/dev, which builds release binaries and exports DATABASE_URL, RUNDIARY_BIN and \
            RUNDIARY_PG_BINDIR. The database rundiary_bench is dropped and recreated at every run. Method and results: \
            docs/benchmarks.md.

            Examples:
              deploy/dev bench --scale quick
              deploy/dev bench --scale full --json > bench.json
              deploy/dev bench --only sync-tick
              deploy/dev bench --only live --live-devices 100 --idle-streams 1000
            """
    )

    @Option(help: "quick (about a minute), full (a few minutes) or huge (full plus 10M records in the growth scenario).")
    var scale: BenchScale = .quick
    @Option(help: "Run only this scenario (repeatable): push, initial-pull, sync-tick, sync-exchange, growth, export, live, idle-clients.")
    var only: [Scenario] = []
    @Option(help: "live: devices holding streams or pushing, two per account (K).") var liveDevices = 500
    @Option(help: "live: idle streams held open while the server's memory is read.") var idleStreams = 5000
    @Flag(help: "Print the report as JSON on stdout (progress stays on stderr).") var json = false
    @Option(help: "The server's log level (default info, as deployed: one line per request).") var serverLogLevel = "info"

    func run() async throws {
        let environment = try BenchEnvironment.fromProcess()
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 8192)
        configuration.decompression = .disabled
        // No spans: the bench traces nothing, and building them was 6 % of its CPU in the sync tick.
        configuration.tracing.tracer = nil
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

        let database = try await BenchDatabase.recreate(environment: environment)
        BenchLog.write("preparing the least-SQL ceiling's database")
        let leastSQL = try await LeastSQLCeiling.prepare(environment: environment)
        let postgres = try await database.psql.run("SELECT 'PostgreSQL ' || current_setting('server_version');")
        var report = BenchReport(scale: scale, machine: .current(postgres: postgres))
        report.notes.append(
            "client, server and PostgreSQL share the machine's cores over loopback; store's SQL = SyncStore called directly (no HTTP, no JSON bodies); least SQL = the least any sync server must run, in pgbench"
        )
        report.notes.append(
            "each scenario runs on a server process of its own: its memory and CPU figures are its own, not what an earlier scenario left"
        )

        var failure: (any Error)?
        for scenario in Scenario.allCases where only.isEmpty || only.contains(scenario) {
            do {
                let started = ContinuousClock.now
                let (figures, memory) = try await runOnOwnServer(
                    scenario, environment: environment, database: database, leastSQL: leastSQL, http: http)
                report.figures += figures
                report.memory.append(memory)
                BenchLog.write(String(format: "%@ done in %.1f s", scenario.rawValue, (ContinuousClock.now - started).seconds))
            } catch {
                failure = error
                break
            }
        }
        try? await http.shutdown()
        if let failure { throw failure }

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(ResultsTable.render(report), terminator: "")
        }
    }

    /// Starts a fresh server for `scenario`, runs it, and stops the server: the scenario's figures and the server's peak
    /// resident size over its whole life (VmHWM, which no sampling interval can miss; the 100 ms samples are kept for
    /// the figures scenarios read while they run).
    ///
    /// A server's resident size does not shrink when a scenario ends (the allocator keeps freed pages), so a scenario
    /// run after another on the same process would report the earlier one's peak as its own.
    private func runOnOwnServer(
        _ scenario: Scenario, environment: BenchEnvironment, database: BenchDatabase, leastSQL: LeastSQLCeiling,
        http: HTTPClient
    ) async throws -> ([BenchFigure], ScenarioMemory) {
        let logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("rundiary-bench-server-\(scenario.rawValue).log").path
        BenchLog.write("\(scenario.rawValue): starting \(environment.serverBinary) on \(BenchDatabase.name) (log: \(logPath))")
        let server = try await ServerProcess.start(
            binary: environment.serverBinary, databaseURL: database.url, logLevel: serverLogLevel, logPath: logPath,
            http: http)
        let memory = MemorySampler(pid: server.pid)
        let sampling = Task { await memory.run() }
        do {
            let cpu = try await CPUAccount.start(serverPID: server.pid, psql: database.psql)
            let context = BenchContext(
                scale: scale, api: APIClient(http: http, baseURL: server.baseURL), database: database,
                store: StoreCeiling(url: database.url, psql: database.psql), leastSQL: leastSQL, memory: memory, cpu: cpu,
                serverHost: "127.0.0.1", serverPort: server.port)
            memory.reset()
            let figures = try await run(scenario, context: context, serverPID: server.pid)
            let peak = max(memory.peakMegabytes(), memory.lifetimePeakMegabytes() ?? 0)
            sampling.cancel()
            await server.stop()
            return (
                figures,
                ScenarioMemory(
                    scenario: scenario.rawValue, peakRSSMegabytes: peak,
                    targetMegabytes: scenario == .live ? LiveScenario.memoryTargetMegabytes / 1.048_576 : 150)
            )
        } catch {
            sampling.cancel()
            await server.stop()
            throw error
        }
    }

    private func run(_ scenario: Scenario, context: BenchContext, serverPID: Int32) async throws -> [BenchFigure] {
        switch scenario {
        case .push: try await PushScenario(context: context).run()
        case .initialPull: try await InitialPullScenario(context: context).run()
        case .syncTick: try await SyncTickScenario(context: context).run()
        case .syncExchange: try await SyncTickScenario(context: context, mode: .exchange).run()
        case .growth: try await GrowthScenario(context: context).run()
        case .export: try await ExportScenario(context: context).run()
        case .idleClients: try await IdleClientsScenario(context: context).run()
        case .live:
            try await LiveScenario(context: context, devices: liveDevices, idleStreams: idleStreams, serverPID: serverPID).run()
        }
    }
}
