import Foundation
import Hummingbird
import RunDiaryStore

/// Requires `Authorization: Bearer <token>` and puts the token's owner into the context; anything else is 401.
///
/// Meters each user's requests in the same database round trip (``AccountStore/owner(ofTokenHash:metering:)``):
/// over the rate, 429 `rate_limited` with `Retry-After`. The allowance lives in PostgreSQL, so it holds across every
/// server instance on the database.
///
/// On the routes that check the token inside their own first statement (`foldsCheck`: a sync push and pull, two of a
/// sync tick's five round trips before), a token whose owner is known (``TokenOwnerCache``) is not looked up here:
/// the context carries the check (``AppRequestContext/tokenCheck``) for the route's statement, which does nothing
/// unless PostgreSQL finds the token valid and the request within its rate. Should the route end without such a
/// statement — it answered before its store call (a malformed body, say) or the statement failed — the token is
/// checked here before anything is answered, so a caller whose token is not valid still learns nothing else.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountStore
    let rate: RequestRate
    let owners: TokenOwnerCache
    /// Whether the routes behind this middleware run the check in their own statement (``DeferredTokenCheck``).
    let foldsCheck: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], HeaderText.hasPrefix(header, caseInsensitive: "bearer ")
        else { throw APIError.unauthorized }
        // After the scheme's seven ASCII bytes, the value with its optional whitespace trimmed.
        let token = String(HeaderText.trimmed(header[header.utf8.index(header.startIndex, offsetBy: 7)...]))
        guard AccessToken.looksValid(token, kind: .api) else { throw APIError.unauthorized }
        let hash = AccessToken.hash(token)
        var context = context
        guard foldsCheck, let owner = owners.owner(of: hash) else {
            context.identity = Identity(try await check(hash))
            return try await next(request, context)
        }
        let deferred = DeferredTokenCheck(TokenCheck(tokenHash: hash, owner: owner, rate: rate))
        context.identity = Identity(owner)
        context.tokenCheck = deferred
        let response: Response
        do {
            response = try await next(request, context)
        } catch let refusal as TokenRefusal {
            throw refused(refusal, hash: hash)
        } catch {
            if !deferred.passed { _ = try await check(hash) }
            throw error
        }
        if !deferred.passed { _ = try await check(hash) }
        return response
    }

    /// The token's check on its own: its owner, or 401 / 429.
    private func check(_ hash: Data) async throws -> AccountStore.TokenOwner {
        guard let (owner, retryAfter) = try await accounts.owner(ofTokenHash: hash, metering: rate) else {
            throw refused(.invalid, hash: hash)
        }
        if let retryAfter { throw refused(.rateLimited(retryAfter: retryAfter), hash: hash) }
        owners.insert(owner, of: hash)
        return owner
    }

    /// The answer to a refused token, after noting it in the cache.
    private func refused(_ refusal: TokenRefusal, hash: Data) -> APIError {
        switch refusal {
        case .invalid:
            owners.forget(hash)
            return APIError.unauthorized
        case .rateLimited(let retryAfter):
            owners.hold(hash, until: .now + .seconds(retryAfter))
            return APIError(
                .tooManyRequests, code: "rate_limited", detail: "Too many requests; slow down.",
                headers: [.retryAfter: String(retryAfter)])
        }
    }
}

extension Identity {
    init(_ owner: AccountStore.TokenOwner) {
        self.init(userID: owner.userID, deviceID: owner.deviceID, tokenID: owner.tokenID)
    }
}
