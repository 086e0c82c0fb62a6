import Foundation
import NIOConcurrencyHelpers

/// Samples a process's resident memory (VmRSS) every 100 ms and keeps the peak since the last `reset`.
///
/// VmHWM alone is the whole process lifetime's peak, so each scenario resets this sampler and reads its own peak.
final class MemorySampler: Sendable {
    private let pid: Int32
    private let peakKilobytes = NIOLockedValueBox(0)

    init(pid: Int32) {
        self.pid = pid
    }

    /// Samples until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            if let rss = Self.field("VmRSS", pid: pid) {
                peakKilobytes.withLockedValue { $0 = max($0, rss) }
            }
            do {
                try await Task.sleep(for: .milliseconds(100))
            } catch {
                return  // cancelled: the scenario is over
            }
        }
    }

    /// Starts a new scenario's peak at the current resident size.
    func reset() {
        let now = Self.field("VmRSS", pid: pid) ?? 0
        peakKilobytes.withLockedValue { $0 = now }
    }

    /// The peak resident size since the last reset, in MiB (also reading once more now).
    func peakMegabytes() -> Double {
        if let rss = Self.field("VmRSS", pid: pid) { peakKilobytes.withLockedValue { $0 = max($0, rss) } }
        return Double(peakKilobytes.withLockedValue { $0 }) / 1024
    }

    /// The process's lifetime peak (VmHWM), in MiB.
    func lifetimePeakMegabytes() -> Double? {
        Self.field("VmHWM", pid: pid).map { Double($0) / 1024 }
    }

    /// A `kB` field of /proc/<pid>/status.
    static func field(_ name: String, pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let number = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return number.flatMap { Int($0) }
        }
        return nil
    }
}
