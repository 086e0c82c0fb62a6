import Foundation
import Hummingbird
import NIOCore

/// `GET /openapi.json`: the API description kept in `Sources/RunDiaryServer/OpenAPI/openapi.json`.
struct OpenAPIController: Sendable {
    /// The document's bytes, read once from the module's resources.
    static let document: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("openapi.json") { _, _ in
            guard let document = Self.document else {
                throw APIError(.serviceUnavailable, code: "unavailable", detail: "The API description is not installed.")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
        }
        return routes
    }
}
