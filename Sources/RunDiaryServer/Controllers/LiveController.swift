import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RunDiaryStore
import ServiceLifecycle

/// `GET /v1/sync/live`: a device's live stream (Server-Sent Events). It carries no record data: `changed` tells the
/// device that its account is ahead of what it was told, and the device pulls.
///
/// The device says where it is with `?cursor=` and, on a reconnect, the `Last-Event-ID` header (the newer of the two
/// counts); when the account is ahead of that (or behind it, after a restore), the first `changed` comes at once.
struct LiveController: Sendable {
    let live: LiveSync

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("live") { request, context in try await stream(request, context: context) }
        return routes
    }

    private func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let epoch = try await live.currentEpoch()
        // A cursor of another epoch (from before a restore) says nothing about this history: the device is told the
        // account's version at once, pulls with its old cursor, gets 410 and resets.
        let position = try Self.position(of: request, epoch: epoch)
        let registry = live.registry
        // Registered before the version is read, so that no notice committed meanwhile is missed.
        let subscription = try registry.open(.stream, owner: identity, position: position ?? 0)
        let lease = StreamLease(registry: registry, subscription: subscription)
        let current: Int64
        do {
            guard let version = try await live.currentVersion(of: identity.userID) else { throw APIError.unauthorized }
            current = version
        } catch {
            lease.release()
            throw error
        }
        // A position ahead of the account (a cursor from before a restore): tell the device the account's version at
        // once, so that it pulls and resets.
        let first: Int64? = position.map { current < $0 } == true ? current : nil
        if first != nil { subscription.rewind(to: current) } else { subscription.offer(version: current) }
        let configuration = live.configuration
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", Self.accelBuffering: "no"],
            body: ResponseBody { writer in
                defer { lease.release() }
                try await request.body.consumeWithInboundCloseHandler { _ in
                    try await withGracefulShutdownHandler {
                        try await writer.write(LiveEvent.retry(milliseconds: configuration.liveRetryMilliseconds))
                        if let first { try await writer.write(LiveEvent.changed(version: first, epoch: epoch)) }
                        try await Self.follow(subscription, into: &writer, epoch: epoch, configuration: configuration)
                    } onGracefulShutdown: {
                        subscription.end(.shutdown)
                    }
                } onInboundClosed: {
                    subscription.end(.disconnected)
                }
                try await writer.finish(nil)
            })
    }

    /// Writes what the subscription hears until it ends.
    private static func follow(
        _ subscription: LiveSubscription, into writer: inout any ResponseBodyWriter, epoch: UUID,
        configuration: ServerConfiguration
    ) async throws {
        let spacing = Duration.milliseconds(configuration.liveEventSpacingMilliseconds)
        while true {
            switch await subscription.next() {
            case .changed(let version):
                try await writer.write(LiveEvent.changed(version: version, epoch: epoch))
                // Whatever arrives meanwhile is coalesced into the next event.
                try await Task.sleep(for: spacing)
            case .heartbeat:
                try await writer.write(LiveEvent.heartbeat)
            case .end(let ending):
                if let event = LiveEvent.ending(ending) { try await writer.write(event) }
                return
            }
        }
    }

    /// The newer of `?cursor=` and `Last-Event-ID`; 400 `invalid_cursor` when either is not one of ours. A cursor of
    /// another `epoch` counts as no position at all.
    static func position(of request: Request, epoch: UUID) throws -> Int64? {
        var position: Int64?
        if let text = request.uri.queryParameters["cursor"].map(String.init), !text.isEmpty {
            guard let cursor = SyncCursor(text: text) else {
                throw APIError(.badRequest, code: "invalid_cursor", detail: "The cursor is not one this server issued.")
            }
            if cursor.epoch == epoch { position = cursor.version }
        }
        if let text = request.headers[lastEventID], !text.isEmpty {
            guard let cursor = SyncCursor(text: text) else {
                throw APIError(
                    .badRequest, code: "invalid_cursor", detail: "The Last-Event-ID header is not a cursor this server issued.")
            }
            if cursor.epoch == epoch { position = max(position ?? 0, cursor.version) }
        }
        return position
    }

    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    /// Tells nginx (and proxies that follow it) not to buffer the stream.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!
}

/// Keeps a stream in the registry for as long as its response exists: released when the stream ends, or when the
/// response is dropped without ever being written.
private final class StreamLease: Sendable {
    let registry: LiveRegistry
    let subscription: LiveSubscription

    init(registry: LiveRegistry, subscription: LiveSubscription) {
        self.registry = registry
        self.subscription = subscription
    }

    func release() {
        registry.remove(subscription)
    }

    deinit {
        registry.remove(subscription)
    }
}
