import Foundation
import GRDB
import RunDiaryModels

extension SyncEngine {
    /// Keeps the diary in sync until the calling task is cancelled: syncs at once, after every local edit, when the
    /// server's live channel says another device changed something, and periodically where the server has no live
    /// channel; failures are retried with back-off. While signed out it waits for ``signIn(server:email:password:deviceName:platform:)``.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.followLiveChannel() }
            group.addTask { await self.syncWhenWoken() }
            await group.waitForAll()
        }
        await setLiveChannel(.stopped)
    }

    private func syncWhenWoken() async {
        var failures = 0
        while !Task.isCancelled {
            var wait: Duration?
            do {
                try await sync()
                failures = 0
                wait = liveChannel == .connected ? configuration.liveRecheckInterval : configuration.pollInterval
            } catch let error as SyncError where error.code == .signedOut {
                wait = nil  // until a sign-in wakes the loop
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                wait = configuration.retry.delay(afterFailures: failures)
            }
            await wake.wait(timeout: wait)
        }
    }

    /// Holds the server's event stream (`GET /v1/sync/live`), waking the sync loop on each `changed` event, and
    /// reconnects with back-off and `Last-Event-ID`. A 404 means the server has no live channel: the sync loop then
    /// polls every ``Configuration/pollInterval``, and the stream is tried again every
    /// ``Configuration/liveRecheckInterval`` in case the server has been upgraded.
    private func followLiveChannel() async {
        var failures = 0
        var lastEventID = ""
        while !Task.isCancelled {
            var hint: Duration?
            do {
                if liveChannel != .unavailable { await setLiveChannel(.connecting) }
                let cursor = try await database.read { db in try DeviceState.read(db).cursor }
                var headers = ["Accept": "text/event-stream", "Cache-Control": "no-store"]
                if !lastEventID.isEmpty { headers["Last-Event-ID"] = lastEventID }
                let request = try await request(
                    "GET", "v1/sync/live", query: cursor.map { [URLQueryItem(name: "cursor", value: $0)] } ?? [], headers: headers,
                    timeout: configuration.streamIdleTimeout)
                let stream = try await transport.stream(request)
                switch stream.status {
                case 200:
                    await setLiveChannel(.connected)
                    var parser = ServerSentEventParser()
                    var reconnectAtOnce = false
                    // A stream that ends counts as a failure unless it carried events, so that a proxy closing it at
                    // once does not make the engine reconnect in a tight loop.
                    failures += 1
                    events: for try await chunk in stream.body {
                        for event in parser.consume(chunk) {
                            failures = 0
                            switch event.type {
                            case "changed":
                                wake.signal()
                            case "signed_out":
                                try await markSignedOut()
                                break events
                            case "reconnect":
                                reconnectAtOnce = true
                                break events
                            default:
                                break
                            }
                        }
                    }
                    lastEventID = parser.lastEventID.isEmpty ? lastEventID : parser.lastEventID
                    hint = parser.retryMilliseconds.map { .milliseconds($0) }
                    if reconnectAtOnce { hint = .milliseconds(Int.random(in: 0...250)) }
                case 404:
                    await setLiveChannel(.unavailable)
                    failures = 0
                    hint = configuration.liveRecheckInterval
                case 401:
                    try await markSignedOut()
                default:
                    failures += 1
                }
            } catch is CancellationError {
                return
            } catch let error as SyncError where error.code == .signedOut {
                // Not signed in: wait below until a sign-in.
            } catch {
                failures += 1
            }
            if Task.isCancelled { return }
            if (try? await account())??.isSignedIn != true {
                await setLiveChannel(.connecting)
                await waitForSignIn()
                continue
            }
            if liveChannel != .unavailable { await setLiveChannel(.connecting) }
            let backoff = failures > 0 ? configuration.retry.delay(afterFailures: failures) : .zero
            try? await Task.sleep(for: max(backoff, hint ?? .zero))
        }
    }

    private func waitForSignIn() async {
        while !Task.isCancelled, (try? await account())??.isSignedIn != true {
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
