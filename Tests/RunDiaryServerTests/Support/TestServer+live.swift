import Foundation
import HTTPTypes
import RunDiaryTestSupport

extension TestServer {
    /// The port the live server listens on.
    var port: Int {
        get throws {
            guard let port = client.port else { throw TestSetupError("the test server has no port") }
            return port
        }
    }

    /// Opens `GET /v1/sync/live` for a session (none: without a token), with `?cursor=` and `Last-Event-ID` when given.
    func stream(
        _ session: Session?, cursor: String? = nil, lastEventID: String? = nil, query: String? = nil
    ) async throws -> EventStreamReader {
        var headers: [String: String] = [:]
        if let session { headers["Authorization"] = "Bearer \(session.token)" }
        if let lastEventID { headers["Last-Event-ID"] = lastEventID }
        var path = "/v1/sync/live"
        if let cursor { path += "?cursor=\(cursor)" } else if let query { path += "?" + query }
        return try await EventStreamReader(port: try port, path: path, headers: headers)
    }

    /// This instance's live figures as `/ready` reports them.
    func liveFigures() async throws -> (listener: String, streams: Int, longPolls: Int) {
        let ready = try await send(.get, "/ready")
        guard let live = ready.json["live"] as? [String: Any] else {
            throw TestSetupError("/ready has no live figures: \(ready.text)")
        }
        return (live["listener"] as? String ?? "", live["streams"] as? Int ?? -1, live["long_polls"] as? Int ?? -1)
    }

    /// Waits (at most `timeout`) until `/ready` reports what `condition` asks for.
    func waitForLive(
        _ what: String, timeout: Duration = .seconds(30),
        _ condition: (_ listener: String, _ streams: Int, _ longPolls: Int) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = (listener: "", streams: -1, longPolls: -1)
        while ContinuousClock.now < deadline {
            last = try await liveFigures()
            if condition(last.listener, last.streams, last.longPolls) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("waited \(timeout) for \(what); /ready says \(last)")
    }
}

extension TestServer {
    /// Sends a request on a connection of its own and reads the answer until the server closes it. The test client
    /// sends every request on one connection, in order: a long-poll there would hold up every request after it.
    func sendAlone(
        _ method: String, _ path: String, token: String? = nil, json: (any Encodable)? = nil, timeout: Duration = .seconds(45)
    ) async throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        var body = Data()
        if let json {
            body = try JSONEncoder().encode(json)
            head += "Content-Type: application/json\r\n"
        }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let connection = try RawConnection(port: try port)
        defer { connection.close() }
        let text = try await connection.exchange(head + String(decoding: body, as: UTF8.self), timeout: timeout)
        guard let split = text.range(of: "\r\n\r\n") else { throw TestSetupError("no answer to \(method) \(path): \(text)") }
        let lines = text[..<split.lowerBound].split(separator: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        var headers = HTTPFields()
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let name = HTTPField.Name(String(parts[0])) {
                headers.append(HTTPField(name: name, value: parts[1].trimmingCharacters(in: .whitespaces)))
            }
        }
        return Reply(status: HTTPResponse.Status(code: status), headers: headers, body: Data(text[split.upperBound...].utf8))
    }
}
