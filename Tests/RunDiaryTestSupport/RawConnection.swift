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
    /// The local port the socket was given when it connected: what ``isStillOurs`` checks the descriptor against.
    private var localPort: UInt16 = 0

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
        localPort = Self.localPort(of: descriptor) ?? 0
    }

    /// The local port of the TCP socket a descriptor names; nil when it names none.
    private static func localPort(of descriptor: Int32) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Whether the descriptor still names the socket this connection opened. Something else in the test process that
    /// closes a descriptor it no longer owns would close this socket, and the number could then name another idle
    /// socket: a read would wait on that one and report nothing received and nothing closed.
    private static func isStillOurs(_ descriptor: Int32, localPort: UInt16) -> Bool {
        Self.localPort(of: descriptor) == localPort
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
        let localPort = self.localPort
        return await OwnThread.run {
            let deadline = ContinuousClock.now + timeout
            var received: [UInt8] = []
            var closed = false
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while ContinuousClock.now < deadline {
                guard Self.isStillOurs(descriptor, localPort: localPort) else {
                    // Said on standard error, so that the failing expectation that follows names its cause.
                    FileHandle.standardError.write(
                        Data(
                            "RawConnection: descriptor \(descriptor) no longer names the socket it connected from port \(localPort): something in the test process closed it\n"
                                .utf8))
                    break
                }
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
            return (String(decoding: received, as: UTF8.self), closed)
        }
    }

    /// Sends `text` and reads everything until the server closes the connection (at most `timeout`).
    public func exchange(_ text: String, timeout: Duration = .seconds(20)) async throws -> String {
        try send(text)
        return await read(timeout: timeout).text
    }
}
