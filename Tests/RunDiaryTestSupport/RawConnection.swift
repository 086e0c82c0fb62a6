import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to the test server, for what an HTTP client library will not send: broken framing, slow
/// or partial heads, `Expect: 100-continue`, connections held open and idle.
///
/// Blocking socket calls run on their own thread (`Task.detached` is not enough: it is the cooperative pool), and
/// every read has a timeout, so a test can never hang on one.
public final class RawConnection: @unchecked Sendable {
    // @unchecked Sendable: the descriptor is used by one test task at a time, in sequence.
    private let descriptor: Int32

    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            // Closed here, once: `deinit` runs for an initializer that throws after every property is set, and a second
            // close would close whatever the descriptor's number belongs to by then (another test's PostgreSQL
            // connection, which then waited forever on a descriptor that was no longer its socket).
            close()
            throw TestSetupError("connect() failed")
        }
    }

    private let closed = NIOLockedValueBox(false)

    deinit { close() }

    /// Closes the connection (once; later calls do nothing).
    public func close() {
        let wasClosed = closed.withLockedValue { closed in
            defer { closed = true }
            return closed
        }
        if !wasClosed { Glibc.close(descriptor) }
    }

    /// Sends text as UTF-8, as it is.
    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// Sends bytes as they are.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestSetupError("send() failed: the server closed the connection") }
            offset += sent
        }
    }

    /// What the server sends within `timeout`: bytes until it closes the connection, until `until` appears in what was
    /// read, or until the time is up — whichever comes first.
    public func read(timeout: Duration, until marker: String? = nil) async -> (text: String, closed: Bool) {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let deadline = ContinuousClock.now + timeout
                var received: [UInt8] = []
                var closed = false
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while ContinuousClock.now < deadline {
                    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    let remaining = deadline - ContinuousClock.now
                    let waitMillis = max(
                        1, Int32(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
                    guard poll(&poller, 1, min(waitMillis, 100)) > 0 else { continue }
                    let count = recv(descriptor, &buffer, buffer.count, 0)
                    if count <= 0 {
                        closed = true
                        break
                    }
                    received.append(contentsOf: buffer[0..<count])
                    if let marker, String(decoding: received, as: UTF8.self).contains(marker) { break }
                }
                continuation.resume(returning: (String(decoding: received, as: UTF8.self), closed))
            }
        }
    }

    /// Sends `text` and reads everything until the server closes the connection (at most `timeout`).
    public func exchange(_ text: String, timeout: Duration = .seconds(20)) async throws -> String {
        try send(text)
        return await read(timeout: timeout).text
    }
}
