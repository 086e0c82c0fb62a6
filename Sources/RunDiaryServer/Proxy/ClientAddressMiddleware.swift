import Foundation
import HTTPTypes
import Hummingbird

/// Puts the client's address into the context: the peer's, or — when the peer is a trusted proxy
/// (`--trusted-proxies`) — the one the proxies recorded in `X-Forwarded-For`.
///
/// Each proxy appends the address it received the request from, so the header is read from the right: addresses of
/// trusted proxies are skipped and the first untrusted one is the client. Anything to its left was written by the
/// client itself and is ignored, so a client cannot choose its own address (login throttling and share access logs
/// key on it). A peer that is not a trusted proxy is the client, whatever headers it sends.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: [AddressRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !trustedProxies.isEmpty, let peer = context.clientAddress, isTrusted(peer) else {
            return try await next(request, context)
        }
        var context = context
        context.clientAddress = clientAddress(peer: peer, forwardedFor: request.headers[values: .xForwardedFor])
        return try await next(request, context)
    }

    /// The client as the chain of trusted proxies saw it.
    func clientAddress(peer: String, forwardedFor headers: [String]) -> String {
        var client = peer
        let hops = headers.flatMap { $0.split(separator: ",") }.map { String(HeaderText.trimmed($0)) }
        for hop in hops.reversed() {
            guard AddressRange.bytes(hop) != nil else { break }
            client = hop
            if !isTrusted(hop) { break }
        }
        return client
    }

    private func isTrusted(_ address: String) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
