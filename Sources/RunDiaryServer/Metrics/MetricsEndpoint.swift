import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Postgres
import Prometheus

/// `GET /metrics` in Prometheus's text format, on a listener of its own (`--metrics-port`), so that the API's port
/// never exposes it and a firewall or the loopback address keeps it private.
///
/// ``bootstrap()`` routes swift-metrics into a Prometheus registry (once per process, before anything counts); each
/// scrape adds what is read at that moment: the database pool's connections, the live streams and long-polls open on
/// this instance, and the process's memory. Read from where they are kept rather than counted up and down as they
/// change, these figures cannot drift, however a stream ends.
public struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    let client: PostgresClient
    let live: LiveRegistry

    /// Sends every swift-metrics counter, meter and timer of this process to a new Prometheus registry.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Request durations from 1 ms to 10 s.
        factory.defaultDurationHistogramBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000]
            .map { Duration.microseconds(Int64($0 * 1000)) }
        // Hummingbird's request metrics under Prometheus's conventional names (unit and _total suffixes).
        factory.nameAndLabelSanitizer = { name, labels in
            switch name {
            case "hb.requests": ("http_server_requests_total", labels)
            case "hb.request.errors": ("http_server_request_errors_total", labels)
            case "http.server.request.duration": ("http_server_request_duration_seconds", labels)
            default: (name, labels)
            }
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// `live`: the registry of the live channel that `client`'s application serves (``LiveSync/registry``).
    public init(registry: PrometheusCollectorRegistry, client: PostgresClient, live: LiveRegistry) {
        self.registry = registry
        self.client = client
        self.live = live
    }

    /// The listener: `GET /metrics` and nothing else.
    public func application(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let registry = registry
        let client = client
        let connections = MetricNameDescriptor(
            namespace: "rundiary", subsystem: "db_pool", metricName: "connections", unitName: "",
            helpText: "Connections of the database pool, by state.")
        let pool = (
            inUse: registry.makeGauge(descriptor: connections, labels: [("state", "in_use")]),
            idle: registry.makeGauge(descriptor: connections, labels: [("state", "idle")]),
            waiting: registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "rundiary", subsystem: "db_pool", metricName: "waiting", unitName: "",
                    helpText: "Requests waiting for a database connection."))
        )
        let liveRegistry = live
        let liveGauges = (
            streams: registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "rundiary", subsystem: "live", metricName: "streams_open", unitName: "",
                    helpText: "Live-sync streams (GET /v1/sync/live) open on this instance.")),
            longPolls: registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "rundiary", subsystem: "live", metricName: "long_polls_waiting", unitName: "",
                    helpText: "Long-polls (GET /v1/sync/pull?wait=) waiting on this instance."))
        )
        let resident = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process", metricName: "resident_memory", unitName: "bytes", helpText: "Resident memory size."))
        let virtual = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process", metricName: "virtual_memory", unitName: "bytes", helpText: "Virtual memory size."))
        router.get("metrics") { _, _ -> Response in
            let usage = client.poolUsage
            pool.inUse.set(Double(usage.inUse))
            pool.idle.set(Double(usage.idle))
            pool.waiting.set(Double(usage.waiting))
            liveGauges.streams.set(Double(liveRegistry.openStreams))
            liveGauges.longPolls.set(Double(liveRegistry.waitingLongPolls))
            if let memory = ProcessMemory.read() {
                resident.set(Double(memory.resident))
                virtual.set(Double(memory.virtual))
            }
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "RunDiary metrics"),
            logger: logger)
    }
}

/// The process's memory as Linux reports it in `/proc/self/statm` (pages), in bytes.
enum ProcessMemory {
    static func read() -> (resident: Int, virtual: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let pages = text.split(separator: " ").compactMap { Int($0) }
        guard pages.count >= 2 else { return nil }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        return (pages[1] * pageSize, pages[0] * pageSize)
    }
}
