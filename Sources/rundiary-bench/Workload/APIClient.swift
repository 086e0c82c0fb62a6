import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RunDiaryModels

/// The server's HTTP API as a device uses it, over one shared AsyncHTTPClient.
struct APIClient: Sendable {
    let http: HTTPClient
    let baseURL: String

    /// A finished exchange: status and the whole body.
    struct Reply: Sendable {
        let status: UInt
        let body: ByteBuffer

        var isSuccess: Bool { (200..<300).contains(status) }
        var text: String { String(buffer: body) }

        /// Whether a push's answer rejects any mutation: a scan of the body's bytes for a rejected status, on every
        /// measured push (Foundation's `String.contains` was 9 % of the bench's CPU in the push scenario).
        var rejectsAny: Bool {
            body.readableBytesView.withContiguousStorageIfAvailable { bytes in
                Self.rejected.withUnsafeBufferPointer { marker in
                    guard bytes.count >= marker.count else { return false }
                    for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
                        if memcmp(bytes.baseAddress! + start, marker.baseAddress!, marker.count) == 0 { return true }
                    }
                    return false
                }
            } ?? text.contains(Self.rejectedText)
        }

        private static let rejectedText = #""status":"rejected""#
        private static let rejected = Array(rejectedText.utf8)
    }

    func post(_ path: String, json body: ByteBuffer, token: String? = nil) async throws -> Reply {
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        if let token { headers.add(name: "Authorization", value: "Bearer " + token) }
        return try await send(HTTPClient.Request(url: baseURL + path, method: .POST, headers: headers, body: .byteBuffer(body)))
    }

    /// A GET, with the bearer token when given (share links go without).
    func get(_ path: String, token: String?) async throws -> Reply {
        var headers = HTTPHeaders()
        if let token { headers.add(name: "Authorization", value: "Bearer " + token) }
        return try await send(HTTPClient.Request(url: baseURL + path, method: .GET, headers: headers))
    }

    /// Sends a request and returns once its whole answer has arrived, read on the connection's event loop.
    ///
    /// Not AsyncHTTPClient's `async` interface: that one hands the answer's head, then each part of its body, to the
    /// awaiting task through an async sequence — several hops on Swift's cooperative pool per request, which on this
    /// two-core machine has two threads, shared with the load generator's tasks. At 400 ticks/s those hops delayed
    /// the bench's own view of answers: the exchange's p99 at 400/s was 8.9–74.6 ms through it and 10.1–16.6 ms
    /// through this, in five alternating pairs with the same server (docs/benchmarks.md).
    private func send(_ request: HTTPClient.Request) async throws -> Reply {
        let response = try await http.execute(
            request: request, delegate: ResponseAccumulator(request: request, maxBodySize: Self.maxBodyBytes),
            deadline: .now() + .seconds(60)
        ).futureResult.get()
        return Reply(status: response.status.code, body: response.body ?? ByteBuffer())
    }

    /// The largest answer read whole (an export of 10,000 records is ~25 MB).
    static let maxBodyBytes = 256 << 20

    /// A pull's path as the client engine asks for it (the shared clock form), from `cursor` ("" for none).
    static func pullPath(cursor: String, limit: Int? = nil) -> String {
        var path = "/v1/sync/pull?clocks=shared"
        if let limit { path += "&limit=\(limit)" }
        if !cursor.isEmpty { path += "&cursor=\(cursor)" }
        return path
    }

    /// Registers a new user and signs one device in: the session a benchmarked device uses.
    func signUpDevice(label: String) async throws -> DeviceSession {
        let email = "\(label)@bench.invalid"
        let password = "bench-password-\(label)"
        let register = try JSONEncoder().encode(RegisterRequest(email: email, password: password, displayName: label))
        let registered = try await post("/v1/auth/register", json: ByteBuffer(data: register))
        guard registered.isSuccess else { throw BenchError("register \(label): \(registered.status) \(registered.text)") }
        let deviceID = UUID()
        let login = try JSONEncoder().encode(
            LoginRequest(email: email, password: password, device: .init(id: deviceID, name: "bench \(label)", platform: "bench")))
        let signedIn = try await post("/v1/auth/login", json: ByteBuffer(data: login))
        guard signedIn.isSuccess else { throw BenchError("login \(label): \(signedIn.status) \(signedIn.text)") }
        let reply = try JSONDecoder().decode(LoginResponse.self, from: Data(buffer: signedIn.body))
        return DeviceSession(userID: reply.userID, deviceID: deviceID, token: reply.token, label: label)
    }

    /// Signs up `count` devices, each its own user, a few at a time (bcrypt dominates).
    func signUpDevices(prefix: String, count: Int) async throws -> [DeviceSession] {
        try await withThrowingTaskGroup(of: (Int, DeviceSession).self) { group in
            var sessions = [DeviceSession?](repeating: nil, count: count)
            var next = 0
            func schedule() {
                let index = next
                next += 1
                group.addTask { (index, try await signUpDevice(label: "\(prefix)-\(index)")) }
            }
            while next < min(4, count) { schedule() }
            while let (index, session) = try await group.next() {
                sessions[index] = session
                if next < count { schedule() }
            }
            return sessions.map { $0! }
        }
    }

}

/// A signed-in device of its own user.
struct DeviceSession: Sendable {
    let userID: UUID
    let deviceID: UUID
    let token: String
    let label: String
}
