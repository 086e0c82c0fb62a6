/// Where an export's bytes go: an HTTP response body, a file, an entry of a ZIP archive around either, or memory.
///
/// The export module knows nothing about HTTP: the server adapts its response body writer to this protocol, the
/// command line writes to a ``FileSink``. A sink is used by the one task that renders an export, one write at a
/// time, and may buffer: whoever created it flushes it at the end.
package protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) async throws
}

extension ByteSink {
    package func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// Collects bytes in memory; for small, bounded outputs and for tests.
package final class MemorySink: ByteSink {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package func write(_ bytes: [UInt8]) async throws {
        self.bytes += bytes
    }
}
