import CLibPQ
import Foundation
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// The thread behind one ``PostgresListener/run()``: connect, `LISTEN`, then wait for the socket to become readable
/// and deliver what arrived; on a loss, back off and start again.
// @unchecked Sendable: the PGconn lives only on the loop's own thread; other threads only call `stop()`, which touches
// the lock-protected flags and writes to the wake-up pipe under that lock.
final class ListenLoop: @unchecked Sendable {
    private let configuration: PostgresListener.Configuration
    private let logger: Logger
    private let handler: @Sendable (PostgresListener.Event) -> Void
    /// A pipe whose read end is polled beside the socket; `stop()` writes a byte to it.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let control = NIOLockedValueBox((stopping: false, pipeClosed: false))

    init(
        configuration: PostgresListener.Configuration, logger: Logger,
        handler: @escaping @Sendable (PostgresListener.Event) -> Void
    ) throws {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw PostgresError(code: .connectionFailed, message: "cannot create the listener's wake-up pipe")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        self.wakeRead = descriptors[0]
        self.wakeWrite = descriptors[1]
        self.configuration = configuration
        self.logger = logger
        self.handler = handler
    }

    /// Runs the loop on a new thread and returns when that thread ends: nil when stopped, or the configuration error
    /// that makes retrying pointless.
    func run() async -> PostgresError? {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let failure = self.main()
                self.closePipe()
                continuation.resume(returning: failure)
            }
            thread.name = "postgres-listen"
            thread.start()
        }
    }

    /// Asks the thread to close the connection and end; safe from any thread, any number of times.
    func stop() {
        control.withLockedValue { control in
            control.stopping = true
            guard !control.pipeClosed else { return }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private var isStopping: Bool { control.withLockedValue { $0.stopping } }

    private func closePipe() {
        control.withLockedValue { control in
            control.pipeClosed = true
            close(wakeRead)
            close(wakeWrite)
        }
    }

    // MARK: - On the loop's thread

    private func main() -> PostgresError? {
        var failures = 0
        while !isStopping {
            let connection: OpaquePointer
            do {
                connection = try PostgresConnection.openConnection(
                    configuration.connectionString, applicationName: configuration.applicationName)
            } catch let error as PostgresError {
                if error.code == .invalidConfiguration { return error }
                failures += 1
                guard backOff(after: error, failures: failures) else { return nil }
                continue
            } catch {
                return PostgresError(code: .connectionFailed, message: "unexpected error opening the listener")
            }
            let ending = listen(on: connection)
            PQfinish(connection)
            switch ending {
            case .stopped:
                return nil
            case .failed(let error, let wasListening):
                failures = wasListening ? 1 : failures + 1
                guard backOff(after: error, failures: failures) else { return nil }
            }
        }
        return nil
    }

    private enum Ending {
        case stopped
        case failed(PostgresError, wasListening: Bool)
    }

    /// Issues the `LISTEN`s, then delivers notifications until the connection fails or `stop()` is called.
    private func listen(on connection: OpaquePointer) -> Ending {
        let statements = configuration.channels.map { "LISTEN " + Self.quoted($0, on: connection) }
        guard let result = PQexec(connection, statements.joined(separator: "; ")) else {
            return .failed(Self.error(connection), wasListening: false)
        }
        let status = PQresultStatus(result)
        PQclear(result)
        guard status == PGRES_COMMAND_OK, let pooled = Self.reachesThroughPooler(connection) else {
            return .failed(Self.error(connection), wasListening: false)
        }
        logger.debug("postgres listener listening", metadata: ["channels": .stringConvertible(configuration.channels.count)])
        if pooled { handler(.throughPooler) }
        handler(.listening)

        let socket = PQsocket(connection)
        let interval = max(1, configuration.livenessInterval.wholeMilliseconds)
        var pingOutstanding = false
        while true {
            // PQexec and PQconsumeInput may have read notifications along with what they waited for.
            deliverNotifications(connection)
            var descriptors = [
                pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, interval)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failed(PostgresError(code: .connectionClosed, message: "poll() failed: errno \(errno)"), wasListening: true)
            }
            if descriptors[1].revents != 0 {
                drainPipe()
                if isStopping { return .stopped }
            }
            if ready == 0 {
                // Silence for a whole interval: ask the server for an answer; a second silent interval means it is gone.
                if pingOutstanding {
                    return .failed(
                        PostgresError(code: .connectionClosed, message: "the server did not answer a liveness check"),
                        wasListening: true)
                }
                guard PQsendQuery(connection, "") == 1 else { return .failed(Self.error(connection), wasListening: true) }
                pingOutstanding = true
                continue
            }
            if descriptors[0].revents != 0 {
                guard PQconsumeInput(connection) == 1 else { return .failed(Self.error(connection), wasListening: true) }
                if pingOutstanding { pingOutstanding = !collectResults(connection) }
            }
            if PQstatus(connection) != CONNECTION_OK { return .failed(Self.error(connection), wasListening: true) }
        }
    }

    private func deliverNotifications(_ connection: OpaquePointer) {
        while let notice = PQnotifies(connection) {
            let notification = PostgresNotification(
                channel: String(cString: notice.pointee.relname), payload: String(cString: notice.pointee.extra),
                senderPID: notice.pointee.be_pid)
            PQfreemem(notice)
            handler(.notification(notification))
        }
    }

    /// Reads the liveness check's results once they are complete; true when they were.
    private func collectResults(_ connection: OpaquePointer) -> Bool {
        while PQisBusy(connection) == 0 {
            guard let result = PQgetResult(connection) else { return true }
            PQclear(result)
        }
        return false
    }

    /// Tells the handler, then waits out the back-off (or until `stop()`); false when asked to stop meanwhile.
    private func backOff(after error: PostgresError, failures: Int) -> Bool {
        let doubled = configuration.minimumBackoff * (1 << min(failures - 1, 16))
        let delay = min(doubled, configuration.maximumBackoff) * Double.random(in: 0.8...1.2)
        logger.debug(
            "postgres listener unavailable",
            metadata: ["failure": .string(error.code.description), "failures": .stringConvertible(failures)])
        handler(.unavailable(error, retryIn: delay))
        let deadline = ContinuousClock.now + delay
        while !isStopping {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return true }
            var descriptor = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, max(1, remaining.wholeMilliseconds))
            if descriptor.revents != 0 { drainPipe() }
        }
        return false
    }

    private func drainPipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    /// Whether a pooler stands between the connection and PostgreSQL: the server process that answers is not the one
    /// the connection was told it talks to (a pooler hands its clients process ids and cancel keys of its own). Nil
    /// when the question could not be asked.
    private static func reachesThroughPooler(_ connection: OpaquePointer) -> Bool? {
        guard let result = PQexec(connection, "SELECT pg_backend_pid()") else { return nil }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK, PQntuples(result) == 1, let value = PQgetvalue(result, 0, 0),
            let serverPID = Int32(String(cString: value))
        else { return nil }
        return serverPID != PQbackendPID(connection)
    }

    private static func quoted(_ identifier: String, on connection: OpaquePointer) -> String {
        guard let escaped = PQescapeIdentifier(connection, identifier, identifier.utf8.count) else {
            return "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    private static func error(_ connection: OpaquePointer) -> PostgresError {
        let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(code: .connectionClosed, message: message.isEmpty ? "the connection was lost" : message)
    }
}

extension Duration {
    /// The duration in whole milliseconds, as poll() takes it.
    fileprivate var wholeMilliseconds: Int32 {
        Int32(clamping: components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
