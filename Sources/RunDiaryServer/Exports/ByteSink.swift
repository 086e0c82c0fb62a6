import Hummingbird
import NIOCore

/// Where an export's bytes go: the response body, or an entry of a ZIP archive around it.
///
/// Sinks are used by the one task that renders an export, one write at a time.
protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) async throws
}

extension ByteSink {
    func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// Writes to a streamed response body in chunks of about ``chunkSize`` bytes, so that a large export is sent as it
/// is rendered and only one chunk sits in memory.
final class ResponseSink: ByteSink {
    static let chunkSize = 64 * 1024

    /// A copy of the body writer; the server's writer is a handle to the channel, so copies write to the same body.
    private(set) var writer: any ResponseBodyWriter
    private var buffer = ByteBuffer()

    init(writer: any ResponseBodyWriter) {
        self.writer = writer
        buffer.reserveCapacity(Self.chunkSize)
    }

    func write(_ bytes: [UInt8]) async throws {
        buffer.writeBytes(bytes)
        if buffer.readableBytes >= Self.chunkSize {
            try await flush()
        }
    }

    /// Sends what is buffered.
    func flush() async throws {
        guard buffer.readableBytes > 0 else { return }
        let chunk = buffer
        buffer = ByteBuffer()
        buffer.reserveCapacity(Self.chunkSize)
        try await writer.write(chunk)
    }
}

/// Collects bytes in memory; for small, bounded outputs only (the FHIR bundle's per-resource text).
final class MemorySink: ByteSink {
    private(set) var bytes: [UInt8] = []

    func write(_ bytes: [UInt8]) async throws {
        self.bytes += bytes
    }
}
