import Hummingbird
import NIOCore
import RunDiaryExports

/// Adapts a streamed response body to the exports' ``ByteSink``: bytes are sent in chunks of about
/// ``chunkSize``, so that a large export goes out as it is rendered and only one chunk sits in memory.
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
