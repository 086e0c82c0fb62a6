import Foundation
import Hummingbird
import RunDiaryStore

/// Requires `Authorization: Bearer <token>` and puts the token's owner into the context; anything else is 401.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { throw APIError.unauthorized }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let owner = try await accounts.owner(ofToken: token) else { throw APIError.unauthorized }
        var context = context
        context.identity = Identity(userID: owner.userID, deviceID: owner.deviceID, tokenID: owner.tokenID)
        return try await next(request, context)
    }
}
