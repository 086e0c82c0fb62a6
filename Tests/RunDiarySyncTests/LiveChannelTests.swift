import Foundation
import Hummingbird
import HummingbirdTesting
import RunDiaryModels
import RunDiarySync
import Testing

extension LiveServerSuites {
    @Suite("The live channel: streamed events arrive as written; without one the engine syncs periodically")
    struct LiveChannelTests {
        /// An event stream that writes its second event only after the client has received the first: the client
        /// can only pass if it hands over bytes as they arrive rather than at the end of the response.
        @Test("URLSessionTransport hands over a text/event-stream as the server writes it", .timeLimit(.minutes(5)))
        func streamsAsWritten() async throws {
            let (firstReceived, received) = AsyncStream.makeStream(of: Void.self)
            let router = Router()
            router.get("events") { request, _ -> Response in
                #expect(request.headers[.accept] == "text/event-stream")
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: "retry: 2000\nevent: changed\nid: c1.AA\ndata: {\"version\":1}\n\n"))
                        for await _ in firstReceived { break }
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\nevent: changed\nid: c1.AB\ndata: {\"version\":2}\n\n"))
                        try await writer.finish(nil)
                    })
            }
            let app = Application(router: router)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let transport = URLSessionTransport()
                let stream = try await transport.stream(
                    TransportRequest(
                        method: "GET", url: URL(string: "http://127.0.0.1:\(port)/events")!, headers: ["Accept": "text/event-stream"]))
                #expect(stream.status == 200)
                #expect(stream.headers["content-type"] == "text/event-stream")
                var parser = ServerSentEventParser()
                var events: [ServerSentEvent] = []
                for try await chunk in stream.body {
                    let new = parser.consume(chunk)
                    events += new
                    if !new.isEmpty && events.count == 1 { received.yield() }
                }
                #expect(events.map(\.lastEventID) == ["c1.AA", "c1.AB"])
                #expect(events.map(\.data) == [#"{"version":1}"#, #"{"version":2}"#])
                #expect(parser.retryMilliseconds == 2000)
            }
        }

        /// The path is changed to one no server has, so that this holds whether or not the server offers live sync.
        @Test("Without a live channel (404) a running engine syncs periodically and picks up another device's run", .timeLimit(.minutes(5)))
        func periodicWithoutLiveChannel() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                let wire = ScriptedTransport { _, request in
                    guard request.url.path == "/v1/sync/live" else { return .deliver }
                    return .rewrite { request in
                        var request = request
                        request.url = request.url.deletingLastPathComponent().appendingPathComponent("live-absent")
                        return request
                    }
                }
                let phone = try await server.device(of: email, named: "phone", transport: wire)
                let tablet = try await server.device(of: email, named: "tablet")
                let running = Task { await phone.run() }
                defer { running.cancel() }

                let run = sampleRun()
                try await tablet.save(run)
                try await tablet.sync()
                var runs = phone.observe(Run.self).makeAsyncIterator()
                while try await runs.next() != [run] {}
                #expect(try await phone.status().liveChannel == .unavailable)
                #expect(wire.exchanges.contains { $0.path == "/v1/sync/live-absent" && $0.status == 404 })

                // A local edit wakes the loop: it is pushed without waiting for the next period.
                var edited = run
                edited.notes = "pushed by the running engine"
                try await phone.save(edited)
                var onTablet: Run?
                while onTablet?.notes != edited.notes {
                    try await Task.sleep(for: .milliseconds(100))
                    try await tablet.sync()
                    onTablet = try await tablet.record(Run.self, id: run.id)
                }
                running.cancel()
                await running.value
                #expect(try await phone.status().liveChannel == .stopped)
            }
        }
    }
}
