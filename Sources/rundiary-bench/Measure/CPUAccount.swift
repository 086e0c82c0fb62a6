import Foundation

/// CPU time spent by each party of a measurement — the server, the PostgreSQL cluster (its postmaster and every
/// process it started: backends, WAL writer, checkpointer, autovacuum) and the bench itself — read from `/proc`.
///
/// A step's work stated as CPU per mutation or per tick moves far less with this shared machine's noise than its
/// throughput does (a slow stretch lowers throughput but not the work each mutation costs), so it is what to compare
/// between two commits. A PostgreSQL process counts with what it used between the two readings (from zero if it started
/// in between); one that exited in between counts nothing, as what it used before it exited is no longer readable —
/// the measured steps run on the server's long-lived pool, and a connection closing then (the store ceiling's, from
/// the step before) must not count negative.
struct CPUAccount: Sendable {
    let serverPID: Int32
    let postmasterPID: Int32

    /// CPU seconds used (user + system), per party.
    struct Times: Sendable {
        var server = 0.0
        var bench = 0.0
        /// Per process of the cluster.
        var postgresProcesses: [Int32: Double] = [:]

        var postgres: Double { postgresProcesses.values.reduce(0, +) }

        /// What each party used between two readings.
        static func - (after: Times, before: Times) -> Times {
            Times(
                server: after.server - before.server, bench: after.bench - before.bench,
                postgresProcesses: after.postgresProcesses.reduce(into: [:]) { used, process in
                    used[process.key] = max(0, process.value - (before.postgresProcesses[process.key] ?? 0))
                })
        }

        /// The server's and PostgreSQL's CPU per unit of work, in microseconds, as two figures (`… per mutation,
        /// 16 device(s)`); the bench's own is in their note.
        func figures(scenario: String, per unit: String, _ units: Int, at step: String) -> [BenchFigure] {
            guard units > 0 else { return [] }
            func micros(_ seconds: Double) -> Double { seconds * 1e6 / Double(units) }
            let note = String(format: "the bench's own: %.0f µs per %@", micros(bench), unit)
            return [
                BenchFigure(
                    scenario: scenario, metric: "server CPU per \(unit), \(step)", value: micros(server), unit: "µs", note: note),
                BenchFigure(
                    scenario: scenario, metric: "PostgreSQL CPU per \(unit), \(step)", value: micros(postgres), unit: "µs",
                    note: note),
            ]
        }
    }

    /// Finds the cluster's postmaster: the parent of its checkpointer, which lives as long as the cluster.
    static func start(serverPID: Int32, psql: PSQL) async throws -> CPUAccount {
        let text = try await psql.run("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer';")
        guard let checkpointer = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let stat = Self.stat(of: checkpointer)
        else { throw BenchError("cpu: cannot find the PostgreSQL cluster's checkpointer (got \(text))") }
        return CPUAccount(serverPID: serverPID, postmasterPID: stat.parent)
    }

    func read() -> Times {
        var times = Times()
        times.server = Self.stat(of: serverPID)?.seconds ?? 0
        times.bench = Self.stat(of: getpid())?.seconds ?? 0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let stat = Self.stat(of: pid) else { continue }
            if pid == postmasterPID || stat.parent == postmasterPID { times.postgresProcesses[pid] = stat.seconds }
        }
        return times
    }

    /// A process's parent and CPU seconds (utime + stime) from `/proc/<pid>/stat`.
    private static func stat(of pid: Int32) -> (parent: Int32, seconds: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) ": state, ppid, … utime is the 12th field after the name, stime the 13th.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let parent = Int32(fields[1]), let user = Double(fields[11]), let system = Double(fields[12])
        else { return nil }
        return (parent, (user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
    }
}
