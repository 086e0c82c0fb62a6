import Foundation
import Logging
import Synchronization

/// Log lines written to a file descriptor by a thread of their own, so that logging never blocks the thread that
/// logs.
///
/// The server logs one line per request from Swift's cooperative pool, which has one thread per core. Written there
/// with `fwrite` under the stream's lock, a line waits whenever the output does — a full pipe to a slow log
/// collector, a journal that rate-limits, a disk busy flushing — and so does every request that thread would have
/// run next (BackgroundLogWriterTests stalls the output on purpose).
///
/// Lines are queued in memory, at most `limit` bytes; a line that does not fit is dropped and counted, and the
/// writer reports how many were dropped after the lines that were queued before them. ``flush(timeout:)`` waits
/// until the queue is written (the server calls it before it exits).
package final class BackgroundLogWriter: Sendable {
    /// The server's log: standard error, at most 4 MiB queued.
    package static let standardError = BackgroundLogWriter(fileDescriptor: STDERR_FILENO)

    private struct State {
        var lines: [String] = []
        var queuedBytes = 0
        var dropped = 0
        var writing = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let fileDescriptor: Int32
    private let limit: Int

    /// Starts the writing thread; `fileDescriptor` stays open and owned by the caller.
    package init(fileDescriptor: Int32, limit: Int = 4 << 20) {
        self.fileDescriptor = fileDescriptor
        self.limit = limit
        let thread = Thread { [self] in writeForever() }
        thread.name = "rundiary-log"
        thread.start()
    }

    /// Queues a line (with its newline); never waits for the output.
    package func enqueue(_ line: String) {
        let first = state.withLock { state -> Bool in
            guard state.queuedBytes + line.utf8.count <= limit else {
                state.dropped += 1
                return false
            }
            state.lines.append(line)
            state.queuedBytes += line.utf8.count
            return state.lines.count == 1
        }
        // The writer sleeps only with an empty queue: waking it for the first line is enough.
        if first { wake.signal() }
    }

    /// Waits until every queued line is written, or `timeout` has passed; whether it was written.
    @discardableResult
    package func flush(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.lines.isEmpty && $0.dropped == 0 && !$0.writing }) { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    private func writeForever() {
        while true {
            wake.wait()
            while true {
                let (lines, dropped) = state.withLock { state in
                    defer {
                        state.lines = []
                        state.queuedBytes = 0
                        state.dropped = 0
                    }
                    state.writing = !state.lines.isEmpty || state.dropped > 0
                    return (state.lines, state.dropped)
                }
                guard !lines.isEmpty || dropped > 0 else { break }
                // Every queued line came before the drops: the notice follows them.
                var text = ""
                text.reserveCapacity(lines.reduce(120) { $0 + $1.utf8.count })
                for line in lines { text += line }
                if dropped > 0 { text += Self.droppedNotice(dropped) }
                write(text)
                state.withLock { $0.writing = false }
            }
        }
    }

    /// The line that stands for lines the queue had no room for.
    static func droppedNotice(_ count: Int) -> String {
        "\(Date().formatted(.iso8601)) warning rundiary: dropped=\(count) log lines dropped: the log output did not keep up\n"
    }

    /// Writes all of `text`; an output that fails (closed, full disk) loses it: there is nowhere to report that.
    private func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

/// The `TextOutputStream` a `StreamLogHandler` writes its formatted lines to: hands each to a
/// ``BackgroundLogWriter``.
package struct BackgroundLogStream: TextOutputStream, Sendable {
    let writer: BackgroundLogWriter

    package init(_ writer: BackgroundLogWriter) {
        self.writer = writer
    }

    package mutating func write(_ string: String) {
        writer.enqueue(string)
    }
}

extension StreamLogHandler {
    /// The server's log handler: `StreamLogHandler`'s lines, written by ``BackgroundLogWriter/standardError``.
    package static func background(label: String) -> StreamLogHandler {
        StreamLogHandler(label: label, stream: BackgroundLogStream(.standardError))
    }
}
