import Foundation
import Hummingbird
import RunDiaryStore

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
    /// The token check the route's own statement is to run (``BearerAuthMiddleware`` on the sync push and pull, when
    /// it knows whose the token is); `nil` when the middleware checked the token itself.
    var tokenCheck: DeferredTokenCheck?
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

    /// Runs a route's store call with the request's token check, if the middleware left it to the route (the call's
    /// first statement then carries it, ``DeferredTokenCheck/run(_:)``), else with nil.
    func withTokenCheck<Result>(_ body: (TokenCheck?) async throws -> Result) async throws -> Result {
        guard let tokenCheck else { return try await body(nil) }
        return try await tokenCheck.run(body)
    }
}
