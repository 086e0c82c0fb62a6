import RunDiaryStore

/// Every setting of `rundiary serve`. The command fills it from flags, then the environment, then these defaults.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Connections in the database pool (and threads running libpq calls).
    public var databasePoolSize = 16
    /// Requests that may wait for a database connection while every one is in use; the next is answered 503
    /// `server_busy` with `Retry-After: 1` at once. At the 400 requests a second two cores serve, 512 is a wait of
    /// about a second and a bounded amount of memory; an overloaded server turns work away instead of storing it.
    public var databaseMaxWaiting = 512
    /// Whether database connections prepare their statements (off behind PgBouncer in transaction mode).
    public var databasePreparesStatements = true
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes = 1 << 20
    /// Largest upload to `POST /v1/import` (one activity file or ZIP), in bytes.
    public var maxImportBytes = 32 << 20
    /// Most mutations in one push.
    public var maxMutationsPerPush = 500
    /// How far ahead of the server's clock a device's clock may be, in seconds.
    public var maxClockSkewSeconds = 600
    /// Whether `POST /v1/auth/register` is open.
    public var registrationEnabled = true
    /// bcrypt cost for passwords (OWASP: at least 10).
    public var bcryptCost = 12
    /// Default and largest page of a pull.
    public var pullDefaultLimit = 500
    public var pullMaxLimit = 5000
    /// The externally visible base URL, used in share links (e.g. https://diary.example.org).
    public var publicBaseURL: String?

    /// How long a new connection may take to send a request's head, in seconds (slow header senders are closed).
    public var headerTimeoutSeconds = 15
    /// How long a keep-alive connection may sit idle between requests, in seconds.
    public var idleTimeoutSeconds = 60
    /// How long a request body may go without progress, in seconds.
    public var bodyTimeoutSeconds = 30
    /// Most connections open at once; beyond it new connections wait in the listen backlog.
    public var maxConnections = 10_000

    /// Where the live channel's one `LISTEN` connection goes; nil: the main database URL. Must reach PostgreSQL
    /// itself: a pooler in transaction mode (PgBouncer) cannot hold a `LISTEN`.
    public var listenDatabaseURL: String?
    /// Seconds between heartbeat comments on a live stream (proxies and mobile networks close silent connections).
    public var liveHeartbeatSeconds = 20
    /// Seconds between checks that the tokens of open streams are still valid (a revoked one ends with `signed_out`).
    public var liveTokenCheckSeconds = 5
    /// The reconnection delay a live stream suggests to its client (`retry:`), in milliseconds.
    public var liveRetryMilliseconds = 3000
    /// The shortest time between two `changed` events on one stream, in milliseconds: a burst of pushes becomes a
    /// few events carrying the newest version, never hundreds per second.
    public var liveEventSpacingMilliseconds = 100
    /// Most live streams one account may hold; opening another closes its oldest.
    public var maxStreamsPerAccount = 10
    /// Most live streams and waiting long-polls on this instance; beyond it, 503 with `Retry-After`.
    public var maxStreams = 10_000
    /// Longest `wait` a long-poll (`GET /v1/sync/pull?wait=`) may ask for, in seconds.
    public let maxPullWaitSeconds = 30

    /// Sustained requests per second each user may make on authenticated routes, and the burst above it.
    public var requestsPerSecondPerUser: Double = 50
    public var requestBurstPerUser: Double = 200

    /// The two as the token check meters them.
    package var requestRate: RequestRate {
        RequestRate(perSecond: requestsPerSecondPerUser, burst: requestBurstPerUser)
    }

    /// Proxies whose `X-Forwarded-For` names the client (nginx in front): the client address of login throttling and
    /// share access logs. Empty: the peer is the client.
    public var trustedProxies: [AddressRange] = []

    /// Where `GET /metrics` is served (a listener of its own); nil: not at all.
    public var metricsHost = "127.0.0.1"
    public var metricsPort: Int?

    /// Exports streamed at once for one account (its own exports and its share links together), and through one
    /// share link; beyond either, 429 `too_many_exports`.
    public var maxConcurrentExportsPerAccount = 4
    public var maxConcurrentExportsPerShare = 2

    public init() {}

    /// The base URL links are built on: `publicBaseURL`, else this server's own address.
    public var baseURL: String {
        publicBaseURL ?? "http://\(host):\(port)"
    }
}
