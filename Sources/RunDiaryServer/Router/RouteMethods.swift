import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// The methods each route path answers, learnt from the router once every route is added, so that a request with
/// another method gets 405 with `Allow` instead of 404.
final class RouteMethods: Sendable {
    private struct Route {
        /// Path components; `nil` matches any one component (a `{parameter}`).
        let components: [Substring?]
        let method: HTTPRequest.Method
    }

    private let routes = NIOLockedValueBox<[Route]>([])

    /// Takes the router's routes; called once, after every route is added.
    func load(_ descriptions: [Router<AppRequestContext>.RouteDescription]) {
        let loaded = descriptions.map { description in
            Route(
                components: description.path.description.split(separator: "/").map { component in
                    component.first == ":" || component.first == "{" || component == "*" ? nil : component
                },
                method: description.method)
        }
        routes.withLockedValue { $0 = loaded }
    }

    /// The methods routed for `path`, sorted; empty when no route has this path.
    func allowed(for path: String) -> [HTTPRequest.Method] {
        let components = path.split(separator: "/")
        let methods = routes.withLockedValue { routes in
            routes.filter { route in
                route.components.count == components.count
                    && zip(route.components, components).allSatisfy { pattern, component in
                        pattern.map { $0 == component } ?? true
                    }
            }.map(\.method.rawValue)
        }
        return Set(methods).sorted().compactMap { HTTPRequest.Method($0) }
    }
}
