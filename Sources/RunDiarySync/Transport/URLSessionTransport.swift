import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The default transport: Foundation's `URLSession` on every platform (FoundationNetworking on Linux).
///
/// Streams use a data task with a delegate, which hands over the body as it arrives on Apple platforms and on
/// Linux alike (`URLSession.bytes(for:)` does not exist in Linux's Foundation), so the engine needs no other HTTP
/// client for the live channel.
public final class URLSessionTransport: SyncTransport {
    private let session: URLSession
    private let configuration: URLSessionConfiguration

    /// A transport with a session of its own; `configuration` also serves the streams' sessions.
    public init(configuration: URLSessionConfiguration = .ephemeral) {
        self.configuration = configuration
        self.session = URLSession(configuration: configuration)
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let cancellation = TaskCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TransportResponse, any Error>) in
                let task = session.dataTask(with: Self.urlRequest(request)) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let http = response as? HTTPURLResponse {
                        continuation.resume(
                            returning: TransportResponse(status: http.statusCode, headers: Self.headers(of: http), body: data ?? Data()))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                cancellation.watch(task)
                task.resume()
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    public func stream(_ request: TransportRequest) async throws -> TransportStream {
        let delegate = EventStreamDelegate()
        let streamSession = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        let task = streamSession.dataTask(with: Self.urlRequest(request))
        let cancellation = TaskCancellation()
        cancellation.watch(task)
        delegate.body.onTermination = { _ in
            cancellation.cancel()
            DispatchQueue.global().async { streamSession.finishTasksAndInvalidate() }
        }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.awaitResponse(continuation)
                task.resume()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return TransportStream(status: head.status, headers: head.headers, body: delegate.stream)
    }

    static func urlRequest(_ request: TransportRequest) -> URLRequest {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        return urlRequest
    }

    static func headers(of response: HTTPURLResponse) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return headers
    }
}

/// Cancels a URL session task from a task cancellation handler without waiting.
///
/// `URLSessionTask.cancel()` waits for the session's queue (in Linux's FoundationNetworking), which may at that
/// moment be resuming the very task being cancelled, while a cancellation handler runs under that task's status
/// lock: calling it there can deadlock. So the cancel is handed to another queue.
// @unchecked Sendable: `task` and `cancelled` are only touched under `lock`.
private final class TaskCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionTask?
    private var cancelled = false

    /// The task to cancel; cancelled at once if cancellation came first.
    func watch(_ task: URLSessionTask) {
        let cancelNow: Bool = lock.withLock {
            self.task = task
            return cancelled
        }
        if cancelNow { Self.cancelLater(task) }
    }

    func cancel() {
        let task: URLSessionTask? = lock.withLock {
            cancelled = true
            return self.task
        }
        if let task { Self.cancelLater(task) }
    }

    private static func cancelLater(_ task: URLSessionTask) {
        DispatchQueue.global().async { task.cancel() }
    }
}

/// Passes a data task's response head and body chunks from URLSession's delegate callbacks to async code.
// @unchecked Sendable: the mutable continuation is only touched under `lock`; URLSession calls on its own queue.
private final class EventStreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Head: Sendable {
        let status: Int
        let headers: [String: String]
    }

    let stream: AsyncThrowingStream<Data, any Error>
    let body: AsyncThrowingStream<Data, any Error>.Continuation
    private let lock = NSLock()
    private var head: CheckedContinuation<Head, any Error>?

    override init() {
        (stream, body) = AsyncThrowingStream.makeStream(of: Data.self, throwing: (any Error).self, bufferingPolicy: .unbounded)
        super.init()
    }

    func awaitResponse(_ continuation: CheckedContinuation<Head, any Error>) {
        lock.withLock { head = continuation }
    }

    private func takeHead() -> CheckedContinuation<Head, any Error>? {
        lock.withLock {
            defer { head = nil }
            return head
        }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let headers = (response as? HTTPURLResponse).map(URLSessionTransport.headers(of:)) ?? [:]
        takeHead()?.resume(returning: Head(status: status, headers: headers))
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        body.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        takeHead()?.resume(throwing: error ?? URLError(.badServerResponse))
        body.finish(throwing: error)
        session.finishTasksAndInvalidate()
    }
}
