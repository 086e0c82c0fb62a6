import Foundation
import RunDiarySync

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Wraps a real transport and misbehaves as networks do: a request lost before it is sent, an answer lost after
/// the server processed the request, a request sent twice (the copy arriving later, after other requests),
/// delays that reorder concurrent requests, and whole offline periods. Which fault hits which request is drawn
/// from a seeded generator, in request order.
public final class FaultInjectingTransport: SyncTransport, @unchecked Sendable {
    // @unchecked Sendable: `state` is only touched under `lock`.

    /// How often each fault happens, per request.
    public struct Rates: Hashable, Sendable {
        public var dropRequest: Double
        public var dropResponse: Double
        public var duplicate: Double
        public var delay: Double
        public var maximumDelay: Duration

        public init(dropRequest: Double, dropResponse: Double, duplicate: Double, delay: Double, maximumDelay: Duration) {
            self.dropRequest = dropRequest
            self.dropResponse = dropResponse
            self.duplicate = duplicate
            self.delay = delay
            self.maximumDelay = maximumDelay
        }

        public static let none = Rates(dropRequest: 0, dropResponse: 0, duplicate: 0, delay: 0, maximumDelay: .zero)
        public static let standard = Rates(
            dropRequest: 0.06, dropResponse: 0.06, duplicate: 0.06, delay: 0.25, maximumDelay: .milliseconds(60))
    }

    /// What was injected so far.
    public struct Counts: Hashable, Sendable {
        public var requests = 0
        public var droppedRequests = 0
        public var droppedResponses = 0
        public var duplicates = 0
        public var delays = 0
        public var offlineRefusals = 0
    }

    private struct State {
        var random: SeededRandom
        var rates: Rates
        var offline = false
        var counts = Counts()
    }

    private struct Plan {
        var offline = false
        var dropRequest = false
        var dropResponse = false
        var duplicateAfter: Duration?
        var delay: Duration?
    }

    private let base: any SyncTransport
    private let lock = NSLock()
    private var state: State

    public init(wrapping base: any SyncTransport, seed: UInt64, rates: Rates) {
        self.base = base
        self.state = State(random: SeededRandom(seed: seed), rates: rates)
    }

    /// Faults from now on; `.none` turns them off.
    public func setRates(_ rates: Rates) {
        lock.withLock { state.rates = rates }
    }

    /// While offline every request fails at once, as with no network.
    public func setOffline(_ offline: Bool) {
        lock.withLock { state.offline = offline }
    }

    public var counts: Counts {
        lock.withLock { state.counts }
    }

    private func plan() -> Plan {
        lock.withLock {
            state.counts.requests += 1
            var plan = Plan()
            if state.offline {
                state.counts.offlineRefusals += 1
                plan.offline = true
                return plan
            }
            let rates = state.rates
            let maximum = max(rates.maximumDelay / .milliseconds(1), 1)
            plan.dropRequest = state.random.chance(rates.dropRequest)
            plan.dropResponse = state.random.chance(rates.dropResponse)
            if state.random.chance(rates.duplicate) {
                plan.duplicateAfter = .milliseconds(Int64(Double.random(in: 0...maximum, using: &state.random)))
            }
            if state.random.chance(rates.delay) {
                plan.delay = .milliseconds(Int64(Double.random(in: 0...maximum, using: &state.random)))
            }
            if plan.dropRequest { state.counts.droppedRequests += 1 }
            if plan.dropResponse { state.counts.droppedResponses += 1 }
            if plan.duplicateAfter != nil { state.counts.duplicates += 1 }
            if plan.delay != nil { state.counts.delays += 1 }
            return plan
        }
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let plan = plan()
        if plan.offline { throw URLError(.notConnectedToInternet) }
        if let delay = plan.delay { try await Task.sleep(for: delay) }
        if plan.dropRequest { throw URLError(.timedOut) }
        if let after = plan.duplicateAfter {
            // The copy goes out later, possibly after this device's next requests: its answer is lost.
            let base = base
            Task.detached {
                try? await Task.sleep(for: after)
                _ = try? await base.send(request)
            }
        }
        let response = try await base.send(request)
        if plan.dropResponse { throw URLError(.networkConnectionLost) }
        return response
    }

    public func stream(_ request: TransportRequest) async throws -> TransportStream {
        let plan = plan()
        if plan.offline || plan.dropRequest { throw URLError(.notConnectedToInternet) }
        return try await base.stream(request)
    }
}
