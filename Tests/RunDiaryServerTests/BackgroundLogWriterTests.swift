import Foundation
import Logging
import RunDiaryServer
import RunDiaryTestSupport
import Testing

/// The server's log is written by a thread of its own: a log output that does not read never holds up the thread
/// that logs, lines come out whole and in order, and what the queue had no room for is counted, not lost silently.
@Suite("Background log writer")
struct BackgroundLogWriterTests {
    /// A pipe nobody reads until every line is logged: 2,000 lines of 100 bytes, against a pipe of 64 KiB and a queue
    /// of 32 KiB. Logging returns at once (the test would hang otherwise); the reader then gets whole lines in order,
    /// and notices that count every line left out.
    @Test(.timeLimit(.minutes(1)))
    func aStalledOutputDropsAndCountsInsteadOfBlocking() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let writer = BackgroundLogWriter(fileDescriptor: ends[1], limit: 32 << 10)
        var logger = Logger(label: "test") { StreamLogHandler(label: $0, stream: BackgroundLogStream(writer)) }
        logger.logLevel = .info
        let count = 2000
        for index in 0..<count {
            logger.info("line \(String(format: "%05d", index)) \(String(repeating: "x", count: 40))")
        }

        // Now read everything, to the end: the write end closes once the writer has written all it holds. The read and
        // the flush block, so each waits on a thread of its own (OwnThread), never on the cooperative threads the live
        // test servers beside this test run on.
        let readEnd = ends[0]
        let reader = Task {
            await OwnThread.run { () -> String in
                var data = Data()
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let read = Foundation.read(readEnd, &buffer, buffer.count)
                    guard read > 0 else { break }
                    data.append(contentsOf: buffer[0..<read])
                }
                return String(decoding: data, as: UTF8.self)
            }
        }
        #expect(await OwnThread.run { writer.flush(timeout: .seconds(30)) })
        close(ends[1])
        let text = await reader.value

        let lines = text.split(separator: "\n").map(String.init)
        let logged = lines.filter { $0.contains(" line ") }
        let numbers = logged.compactMap { line in
            line.range(of: " line ").map { Int(line[$0.upperBound...].prefix(5)) } ?? nil
        }
        // In order, none twice (lines dropped while the queue was full leave gaps).
        #expect(numbers.first == 0 && zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "lines out of order")
        #expect(numbers.count > 100 && numbers.count < count)
        // Each notice counts the lines dropped since the lines before it; together they account for every line.
        let notices = lines.filter { $0.contains("log lines dropped") }
        let dropped = notices.compactMap { notice in
            notice.split(separator: " ").first { $0.hasPrefix("dropped=") }.flatMap { Int($0.dropFirst(8)) }
        }
        #expect(!notices.isEmpty && dropped.count == notices.count)
        #expect(numbers.count + dropped.reduce(0, +) == count, "\(numbers.count) written, \(dropped) counted as dropped")
        #expect(lines.count == numbers.count + notices.count, "only whole lines and notices")
    }

    @Test func flushWaitsUntilEveryLineIsWritten() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-log-\(UUID()).txt").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        defer {
            close(descriptor)
            try? FileManager.default.removeItem(atPath: path)
        }
        let writer = BackgroundLogWriter(fileDescriptor: descriptor)
        var stream = BackgroundLogStream(writer)
        for index in 0..<500 { stream.write("entry \(index)\n") }
        #expect(await OwnThread.run { writer.flush(timeout: .seconds(10)) })
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == (0..<500).map { "entry \($0)\n" }.joined())
    }
}
