import Foundation

/// Writes to a file through a 64 KiB buffer.
final class FileSink: ByteSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(64 * 1024)
    }

    func write(_ bytes: [UInt8]) async throws {
        buffer += bytes
        if buffer.count >= 64 * 1024 { try flush() }
    }

    func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
