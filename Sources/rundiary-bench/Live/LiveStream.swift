import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A device's live stream (`GET /v1/sync/live`) as the bench holds it: the response head, then its events.
struct LiveStream: Sendable {
    /// One Server-Sent Event (comments and `retry:` are skipped).
    struct Event: Sendable {
        let type: String
        let data: String
    }

    /// Opens the stream and calls `onEvent` for each event until the stream ends or the task is cancelled; throws
    /// when it is not answered 200.
    static func follow(
        http: HTTPClient, baseURL: String, token: String, opened: @Sendable () -> Void,
        onEvent: @Sendable (Event) async -> Void
    ) async throws {
        var request = HTTPClientRequest(url: baseURL + "/v1/sync/live")
        request.headers.add(name: "Authorization", value: "Bearer " + token)
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await http.execute(request, timeout: .hours(2))
        guard response.status == .ok else {
            throw BenchError("live stream answered \(response.status.code)")
        }
        opened()
        var pending = ""
        for try await buffer in response.body {
            pending += String(buffer: buffer)
            while let end = pending.range(of: "\n\n") {
                let block = pending[..<end.lowerBound]
                pending.removeSubrange(..<end.upperBound)
                var type = "message"
                var data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                }
                if !data.isEmpty { await onEvent(Event(type: type, data: data)) }
            }
        }
    }
}
