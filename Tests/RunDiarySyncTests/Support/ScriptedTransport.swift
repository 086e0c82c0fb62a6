import Foundation
import RunDiarySync

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real transport with a script deciding, request by request, what the network does to it; it records every
/// request and answer so that tests can say what went over the wire.
final class ScriptedTransport: SyncTransport, @unchecked Sendable {
    // @unchecked Sendable: `exchanges` and `count` are only touched under `lock`.

    enum Fate: Sendable {
        case deliver
        /// Lost before it reached the server.
        case dropRequest
        /// Processed by the server, its answer lost.
        case dropResponse
        /// Answered by something in front of the server (a proxy), never reaching it.
        case answer(status: Int, headers: [String: String])
        /// Sent changed.
        case rewrite(@Sendable (TransportRequest) -> TransportRequest)
    }

    struct Exchange: Sendable {
        let method: String
        let path: String
        let status: Int?
    }

    private let base = URLSessionTransport()
    private let script: @Sendable (_ number: Int, _ request: TransportRequest) -> Fate
    private let lock = NSLock()
    private var count = 0
    private var log: [Exchange] = []

    /// `script` gets each request with its number (from 1) among all requests so far.
    init(_ script: @escaping @Sendable (_ number: Int, _ request: TransportRequest) -> Fate = { _, _ in .deliver }) {
        self.script = script
    }

    var exchanges: [Exchange] {
        lock.withLock { log }
    }

    func count(_ method: String, _ path: String) -> Int {
        exchanges.filter { $0.method == method && $0.path == path }.count
    }

    private func note(_ request: TransportRequest, _ status: Int?) {
        lock.withLock { log.append(Exchange(method: request.method, path: request.url.path, status: status)) }
    }

    private func fate(_ request: TransportRequest) -> Fate {
        let number = lock.withLock {
            count += 1
            return count
        }
        return script(number, request)
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        var request = request
        switch fate(request) {
        case .deliver:
            break
        case .dropRequest:
            note(request, nil)
            throw URLError(.timedOut)
        case .dropResponse:
            let response = try await base.send(request)
            note(request, response.status)
            throw URLError(.networkConnectionLost)
        case .answer(let status, let headers):
            note(request, status)
            return TransportResponse(status: status, headers: headers)
        case .rewrite(let change):
            request = change(request)
        }
        let response = try await base.send(request)
        note(request, response.status)
        return response
    }

    func stream(_ request: TransportRequest) async throws -> TransportStream {
        var request = request
        if case .rewrite(let change) = fate(request) { request = change(request) }
        let stream = try await base.stream(request)
        note(request, stream.status)
        return stream
    }
}
