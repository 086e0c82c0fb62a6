import Foundation
import GRDB
import RunDiaryModels

extension SyncEngine {
    /// A request to the account's server, with its token.
    func request(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, headers: [String: String] = [:],
        timeout: Double? = nil
    ) async throws -> TransportRequest {
        let device = try await database.read { db in try DeviceState.read(db) }
        guard let server = device.serverURL, let token = device.token else {
            throw SyncError(.signedOut, detail: "Not signed in.")
        }
        var request = Self.request(server: server, method, path, query: query, body: body, timeout: timeout ?? configuration.requestTimeout)
        request.headers["Authorization"] = "Bearer \(token)"
        request.headers.merge(headers) { _, new in new }
        return request
    }

    static func request(
        server: URL, _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, timeout: Double
    ) -> TransportRequest {
        var components = URLComponents(url: server.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        var headers = ["Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        return TransportRequest(
            method: method, url: components?.url ?? server.appendingPathComponent(path), headers: headers, body: body, timeout: timeout)
    }

    /// Sends a request to the account's server and returns its answer, retrying what may succeed later (no
    /// connection, 5xx, 429 after `Retry-After`) with back-off, up to the policy's attempts.
    ///
    /// A 401 marks the account signed out (the outbox stays) and throws ``SyncError`` `signedOut`.
    func exchange(_ request: TransportRequest, retrying: Bool = true) async throws -> TransportResponse {
        var failures = 0
        while true {
            try Task.checkCancellation()
            var failure: SyncError
            var wait: Duration?
            do {
                let response = try await transport.send(request)
                switch response.status {
                case 401:
                    try await markSignedOut()
                    throw SyncError(
                        .signedOut, status: 401, problem: Self.problem(in: response),
                        detail: "The server no longer accepts this device's token.")
                case 429:
                    failure = SyncError(
                        .rateLimited, status: 429, problem: Self.problem(in: response), detail: "The server asked to slow down.")
                    let seconds = response.header("Retry-After").flatMap(Int.init) ?? 1
                    guard .seconds(seconds) <= configuration.retry.maximumRetryAfter else { throw failure }
                    wait = .seconds(max(seconds, 0))
                case 408, 500...599:
                    failure = SyncError(
                        .unreachable, status: response.status, problem: Self.problem(in: response),
                        detail: "The server could not answer (HTTP \(response.status)).")
                default:
                    return response
                }
            } catch let error as SyncError {
                throw error
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                failure = SyncError(.unreachable, detail: "The server cannot be reached.")
            }
            failures += 1
            guard retrying, failures < configuration.retry.attemptsPerSync else { throw failure }
            try await Task.sleep(for: wait ?? configuration.retry.delay(afterFailures: failures))
        }
    }

    /// Forgets the token the server refused; the diary and its outbox stay.
    func markSignedOut() async throws {
        try await database.write { db in try db.execute(sql: "UPDATE device SET token = NULL") }
        await setPhase(.signedOut)
    }

    /// The problem+json body of an answer, if it has one.
    static func problem(in response: TransportResponse) -> ProblemDetails? {
        try? JSONDecoder().decode(ProblemDetails.self, from: response.body)
    }

    /// An answer the engine could not use: the server's problem if it sent one.
    static func refusal(_ response: TransportResponse, _ detail: String) -> SyncError {
        SyncError(.refused, status: response.status, problem: problem(in: response), detail: detail)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from response: TransportResponse) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: response.body)
        } catch {
            throw SyncError(.invalidResponse, status: response.status, detail: "The server's answer is not a \(Value.self).")
        }
    }
}
