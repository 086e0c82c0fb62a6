import Foundation
import NIOConcurrencyHelpers

/// How long the disk under the cluster takes to make one 8 KiB write durable (`fdatasync`), probed every 10 ms by a
/// thread of its own while a step runs: the floor under every push's commit.
///
/// On a shared VM a commit's WAL flush sometimes waits tens of milliseconds for the disk (writeback of other files,
/// the host's I/O). Such a wait holds up every push committing then, and the sync tick's p99 with it; printed beside
/// each tick step, it tells an I/O stall from the server's own queueing.
final class DiskProbe: Sendable {
    private struct State {
        var latencies: [Double] = []
        var running = true
    }

    private let state = NIOLockedValueBox(State())
    let path: String

    /// Starts probing with a file of its own in `directory` (removed by ``stop()``); nil when it cannot be written.
    init?(directory: String) {
        path = (directory as NSString).appendingPathComponent("rundiary-bench-disk-probe")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { return nil }
        let thread = Thread { [self] in probe(descriptor) }
        thread.name = "disk-probe"
        thread.start()
    }

    private func probe(_ descriptor: Int32) {
        let block = [UInt8](repeating: 0x2a, count: 8192)
        var index = 0
        let clock = ContinuousClock()
        while state.withLockedValue({ $0.running }) {
            let started = clock.now
            let written = block.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 8192, off_t((index % 128) * 8192)) }
            guard written == 8192, fdatasync(descriptor) == 0 else { break }
            let milliseconds = (clock.now - started).milliseconds
            state.withLockedValue { $0.latencies.append(milliseconds) }
            index += 1
            Thread.sleep(forTimeInterval: 0.01)
        }
        close(descriptor)
        unlink(path)
    }

    /// The probes since the last call, and starts a new window.
    func window() -> LatencySummary {
        LatencySummary(
            milliseconds: state.withLockedValue { state in
                defer { state.latencies = [] }
                return state.latencies
            })
    }

    func stop() {
        state.withLockedValue { $0.running = false }
    }
}
