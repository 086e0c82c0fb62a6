import Foundation
import Hummingbird

/// Who made a request: set by ``BearerAuthMiddleware`` from a valid token.
public struct Identity: Sendable, Hashable {
    public let userID: UUID
    public let deviceID: UUID
    public let tokenID: UUID
}

/// The request context of every RunDiary route: Hummingbird's core storage plus the authenticated identity.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set for authenticated `/v1` routes; `nil` elsewhere.
    public var identity: Identity?
    /// The client's IP address, used for login throttling and share access logs: the peer's, or the one trusted
    /// proxies forwarded (``ClientAddressMiddleware``).
    public var clientAddress: String?
    /// What the OpenAPI document says this route's JSON body must be (set by ``RequestValidationMiddleware``).
    var requestBodySchema: JSONSchema?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read with an explicit limit (``ServerConfiguration/maxBodyBytes``) by each route.
    public var maxUploadSize: Int { 16 << 20 }

    /// The identity of an authenticated route; a route behind ``BearerAuthMiddleware`` always has one.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized }
        return identity
    }
}
