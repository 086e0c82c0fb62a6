import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import RunDiaryModels

/// Deadlines and edge cases of one HTTP/1 connection, below the router.
///
/// - A connection must deliver a request's head within `headerTimeout` of opening (a slowloris that trickles header
///   bytes is closed), and the next head within `idleTimeout` of the previous response (idle keep-alives are closed).
/// - A request body must make progress: `bodyTimeout` without a body part closes the connection.
/// - A response being written (a long export, a live stream) has no deadline here.
/// - `Expect: 100-continue` is answered with `100 Continue` so clients send the body at once.
/// - Malformed HTTP seen between requests is answered with a problem+json 400 (431 for oversized headers) and the
///   connection closed, instead of the framework's empty 400.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    struct Timeouts: Sendable {
        var header: TimeAmount
        var idle: TimeAmount
        var body: TimeAmount
    }

    private enum State {
        /// Waiting for a request head; nothing of a request is in flight.
        case awaitingHead
        /// A request's body is being read.
        case readingBody
        /// The request was read; its response is being produced or written.
        case responding
        /// The request and its response overlap (the response ended before the body was read, or vice versa).
        case respondedReadingBody
    }

    private let timeouts: Timeouts
    private var state = State.awaitingHead
    private var deadline: Scheduled<Void>?

    init(timeouts: Timeouts) {
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The receive buffer starts at 512 bytes and grows with what arrives (NIO's default starts at 2 KiB): a request
        // head is a few hundred bytes, a push body grows it, and every idle keep-alive or live-stream connection keeps
        // its buffer while it stays open.
        try? context.channel.syncOptions?.setOption(.recvAllocator, value: Self.receiveBuffers)
        if context.channel.isActive { arm(timeouts.header, context: context) }
    }

    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536)

    func channelActive(context: ChannelHandlerContext) {
        arm(timeouts.header, context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            state = .readingBody
            arm(timeouts.body, context: context)
            if let expectation = head.headerFields[.expect], expectation.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        case .body:
            if state == .readingBody || state == .respondedReadingBody { arm(timeouts.body, context: context) }
        case .end:
            if state == .respondedReadingBody {
                state = .awaitingHead
                arm(timeouts.idle, context: context)
            } else {
                state = .responding
                disarm()
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            switch state {
            case .responding:
                state = .awaitingHead
                arm(timeouts.idle, context: context)
            case .readingBody:
                state = .respondedReadingBody
            case .awaitingHead, .respondedReadingBody:
                break
            }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, state == .awaitingHead else {
            context.fireErrorCaught(error)
            return
        }
        // Nothing of a request reached the application: answer here, and close.
        disarm()
        let (status, code, detail): (HTTPResponse.Status, String, String) =
            switch parserError {
            case .headerOverflow:
                (.requestHeaderFieldsTooLarge, "headers_too_large", "The request line or headers are too large.")
            default:
                (.badRequest, "malformed_request", "The request is not well-formed HTTP/1.1.")
            }
        let problem = ProblemDetails(
            title: status.reasonPhrase, status: status.code, detail: detail, code: code, errors: nil)
        let body = (try? JSONEncoder().encode(problem)) ?? Data()
        var head = HTTPResponse(status: status)
        head.headerFields[.contentType] = "application/problem+json"
        head.headerFields[.contentLength] = String(body.count)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
