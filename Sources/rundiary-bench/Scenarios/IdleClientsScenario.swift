import Foundation
import NIOCore
import NIOPosix

/// Scenario 6 (issue 10): the server's peak resident memory while 1,000 clients hold idle keep-alive connections,
/// each after one request (`GET /health`), as phones with an open app do between syncs.
struct IdleClientsScenario: Sendable {
    static let clients = 1000
    static let holdSeconds = 5

    let context: BenchContext

    func run() async throws -> [BenchFigure] {
        context.memory.reset()
        let before = context.memory.peakMegabytes()
        context.log("idle clients: opening \(Self.clients) keep-alive connections")
        var channels: [any Channel] = []
        channels.reserveCapacity(Self.clients)
        do {
            for _ in 0..<Self.clients {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: context.serverHost, port: context.serverPort).get()
                // The answer is read and dropped by the pipeline's tail; the connection stays open (HTTP/1.1).
                try await channel.writeAndFlush(
                    ByteBuffer(string: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                ).get()
                channels.append(channel)
            }
            try await Task.sleep(for: .seconds(Self.holdSeconds))
        } catch {
            for channel in channels { try? await channel.close().get() }
            throw error
        }
        let open = channels.filter(\.isActive).count
        let peak = context.memory.peakMegabytes()
        for channel in channels { try? await channel.close().get() }
        context.log(
            String(format: "idle clients: %d of %d still open after %d s, peak RSS %.1f MiB", open, Self.clients, Self.holdSeconds, peak))
        return [
            BenchFigure(
                scenario: "idle clients", metric: "peak RSS, \(Self.clients) idle keep-alive connections", value: peak,
                unit: "MiB", target: "< 150 MiB", meetsTarget: peak < 150 && open == Self.clients,
                note: String(format: "%.1f MiB before; %d open after %d s", before, open, Self.holdSeconds))
        ]
    }
}
