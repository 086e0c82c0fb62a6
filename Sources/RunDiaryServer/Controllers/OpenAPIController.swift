import Hummingbird
import NIOCore

/// `GET /openapi.json`: the API description kept in `Sources/RunDiaryServer/OpenAPI/openapi.json`, the same
/// document ``RequestValidationMiddleware`` holds requests to.
struct OpenAPIController: Sendable {
    let document: OpenAPIDocument

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: document.bytes)))
        }
        return routes
    }
}
