import Foundation

/// A live stream (`GET /v1/sync/live`) read the way a client reads it, over a ``RawConnection``: the response head,
/// then the chunked body parsed as Server-Sent Events.
///
/// Every read has a timeout, so a test can never hang on a stream. The defaults are generous: a test that passes never
/// waits them out, and a machine busy with several builds and test suites may take seconds to answer.
public final class EventStreamReader: @unchecked Sendable {
    // @unchecked Sendable: used by one test task at a time, in sequence.

    /// One event, or a comment line (type `:`, the text in `data`).
    public struct Event: Sendable, Equatable {
        public let type: String
        public let id: String?
        public let data: String

        public var isComment: Bool { type == ":" }
    }

    public let connection: RawConnection
    /// The response's status line and headers.
    public private(set) var head = ""
    /// Whether the server closed the connection.
    public private(set) var closed = false
    /// The `retry:` value last seen, in milliseconds.
    public private(set) var retryMilliseconds: Int?
    private var raw: [UInt8] = []
    private var body = ""

    /// Opens `GET path` with `headers` (name: value) and reads the response head (at most `timeout`).
    public init(port: Int, path: String, headers: [String: String] = [:], timeout: Duration = .seconds(30)) async throws {
        connection = try RawConnection(port: port)
        var request = "GET \(path) HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        try connection.send(request + "\r\n")
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let end = Self.find(Array("\r\n\r\n".utf8), in: raw) {
                head = String(decoding: raw[..<end], as: UTF8.self)
                raw.removeFirst(end + 4)
                if !isChunked {
                    // An answer with a body of known length (an error): keep it as is.
                    body = String(decoding: raw, as: UTF8.self)
                    raw = []
                }
                return
            }
            // A busy server may take longer than one read to answer: keep reading until the deadline or the close.
            if closed { break }
            _ = await receive(until: deadline)
        }
        head = String(decoding: raw, as: UTF8.self)
    }

    /// The status code of the response, 0 when none was read.
    public var status: Int {
        let parts = head.split(separator: " ", maxSplits: 2)
        return parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
    }

    /// A header's value (case-insensitive name).
    public func header(_ name: String) -> String? {
        for line in head.split(separator: "\r\n").dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The body of a response that is not a stream (an error's problem+json), read until the server closes or
    /// `timeout` passes.
    public func wholeBody(timeout: Duration = .seconds(15)) async -> String {
        let deadline = ContinuousClock.now + timeout
        let length = header("Content-Length").flatMap { Int($0) }
        while !closed, ContinuousClock.now < deadline {
            if let length, body.utf8.count + raw.count >= length { break }
            _ = await receive(until: deadline)
        }
        body += String(decoding: raw, as: UTF8.self)
        raw = []
        return body
    }

    /// The next event (comments too, when `comments`) within `timeout`; nil when none came or the stream ended.
    public func next(timeout: Duration = .seconds(30), comments: Bool = false) async -> Event? {
        let deadline = ContinuousClock.now + timeout
        while true {
            while let event = takeEvent() {
                if comments || !event.isComment { return event }
            }
            if closed || ContinuousClock.now >= deadline { return nil }
            _ = await receive(until: deadline)
        }
    }

    /// Events (not comments) until `timeout` passes or the stream ends.
    public func events(for timeout: Duration) async -> [Event] {
        let deadline = ContinuousClock.now + timeout
        var events: [Event] = []
        while let event = await next(timeout: deadline - ContinuousClock.now) { events.append(event) }
        return events
    }

    /// Waits until the server closes the stream (at most `timeout`); true when it did.
    public func waitUntilClosed(timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !closed, ContinuousClock.now < deadline { _ = await receive(until: deadline) }
        return closed
    }

    public func close() {
        connection.close()
    }

    // MARK: - Private

    private var isChunked: Bool { header("Transfer-Encoding")?.lowercased() == "chunked" }

    /// Reads once (up to 250 ms); false when nothing arrived.
    private func receive(until deadline: ContinuousClock.Instant) async -> Bool {
        let remaining = min(deadline - ContinuousClock.now, .milliseconds(250))
        guard remaining > .zero else { return false }
        let (text, closed) = await connection.read(timeout: remaining, until: "")
        if closed { self.closed = true }
        raw.append(contentsOf: Array(text.utf8))
        return !text.isEmpty
    }

    /// Moves complete chunks from `raw` to `body`.
    private func dechunk() {
        guard isChunked else {
            body += String(decoding: raw, as: UTF8.self)
            raw = []
            return
        }
        while let lineEnd = Self.find(Array("\r\n".utf8), in: raw) {
            let sizeText = String(decoding: raw[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return }
            guard raw.count >= lineEnd + 2 + size + 2 else { return }
            body += String(decoding: raw[(lineEnd + 2)..<(lineEnd + 2 + size)], as: UTF8.self)
            raw.removeFirst(lineEnd + 2 + size + 2)
            if size == 0 { closed = true }
        }
    }

    /// The first complete event block of the body, parsed.
    private func takeEvent() -> Event? {
        dechunk()
        while let range = body.range(of: "\n\n") {
            let block = body[..<range.lowerBound]
            body.removeSubrange(..<range.upperBound)
            var type = "message"
            var id: String?
            var data: [String] = []
            var comment: String?
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") {
                    comment = String(line.dropFirst()).trimmingCharacters(in: .whitespaces)
                    continue
                }
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let field = String(parts[0])
                let value = parts.count > 1 ? String(parts[1].hasPrefix(" ") ? parts[1].dropFirst() : parts[1]) : ""
                switch field {
                case "event": type = value
                case "id": id = value
                case "data": data.append(value)
                case "retry": retryMilliseconds = Int(value)
                default: break
                }
            }
            if !data.isEmpty { return Event(type: type, id: id, data: data.joined(separator: "\n")) }
            if let comment { return Event(type: ":", id: nil, data: comment) }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
