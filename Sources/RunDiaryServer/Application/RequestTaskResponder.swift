import Hummingbird

/// Runs each request's route and middleware in a child task of the connection's task, which ends with the request.
///
/// Why: a Swift task keeps the memory its deepest call chain needed (its allocator's slabs) for as long as it lives, and
/// a connection's task lives as long as the connection. Without this, every open keep-alive connection and every live
/// stream held the slabs of the deepest request it ever served — the middleware chain, authentication and the database
/// driver's frames, about 20 KiB each (measured with heaptrack: 23 KiB of task slabs per idle connection). In a child
/// task those are freed when the answer is ready, and the connection keeps only what writing the response needs (a live
/// stream's body runs in the connection's task, shallowly). The price is one task per request.
struct RequestTaskResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context: Sendable {
    let inner: Inner

    @Sendable func respond(to request: Request, context: Inner.Context) async throws -> Response {
        try await withThrowingTaskGroup(of: Response.self) { group in
            group.addTask { try await inner.respond(to: request, context: context) }
            // One child: its answer, or its error.
            guard let response = try await group.next() else { throw CancellationError() }
            return response
        }
    }
}
