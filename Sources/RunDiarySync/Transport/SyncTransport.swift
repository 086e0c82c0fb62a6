import Foundation

/// How the engine reaches the server: one HTTP exchange at a time, and a streamed response for the live channel.
///
/// The default is ``URLSessionTransport``. An app plugs in its own implementation to route requests through its
/// networking stack (a shared session, certificate pinning, metrics); tests wrap one to inject faults. A transport
/// reports what happened on the wire and nothing more: any HTTP status is a response, and only a failure to get
/// one (no connection, a timeout, a dropped connection) is thrown. Retries and back-off are the engine's job.
///
/// ```swift
/// struct LoggingTransport: SyncTransport {
///     let base: any SyncTransport
///     func send(_ request: TransportRequest) async throws -> TransportResponse {
///         let response = try await base.send(request)
///         print(request.method, request.url.path, response.status)
///         return response
///     }
///     func stream(_ request: TransportRequest) async throws -> TransportStream {
///         try await base.stream(request)
///     }
/// }
/// ```
public protocol SyncTransport: Sendable {
    /// Sends a request and returns the whole response, whatever its status.
    func send(_ request: TransportRequest) async throws -> TransportResponse

    /// Sends a request whose response body arrives over time (`text/event-stream`); the body ends when the
    /// server closes the connection, and cancelling the consuming task closes it from this side.
    func stream(_ request: TransportRequest) async throws -> TransportStream
}

/// One HTTP request the engine makes.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header fields by name.
    public var headers: [String: String]
    public var body: Data?
    /// How long to wait for the server (for a stream: for the next bytes).
    public var timeout: TimeInterval

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil, timeout: TimeInterval = 60) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A whole HTTP response.
public struct TransportResponse: Sendable {
    public var status: Int
    /// Header fields, names in lowercase.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    /// The value of a header field, by name in any case.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}

/// A response whose body arrives in chunks as the server writes them.
public struct TransportStream: Sendable {
    public var status: Int
    /// Header fields, names in lowercase.
    public var headers: [String: String]
    /// The body's bytes as they arrive; it finishes when the server closes the connection, or throws when the
    /// connection fails.
    public var body: AsyncThrowingStream<Data, any Error>

    public init(status: Int, headers: [String: String] = [:], body: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }
}
