import ArgumentParser
import RunDiaryServer
import RunDiaryStore

/// The settings of `rundiary serve`: each flag overrides its environment variable, which overrides the default.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on (env: RUNDIARY_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env: RUNDIARY_PORT; default 8080).") var port: Int?
    @Option(help: "Database connections (env: RUNDIARY_DB_POOL_SIZE; default 16).") var poolSize: Int?
    @Option(
        help:
            "Requests that may wait for a database connection when all are busy; the next is answered 503 server_busy (env: RUNDIARY_DB_MAX_WAITING; default 512)."
    )
    var dbMaxWaiting: Int?
    @Option(
        help:
            "on or off: prepare statements once per database connection; off behind PgBouncer in transaction mode (env: RUNDIARY_DB_PREPARED_STATEMENTS; default on)."
    )
    var preparedStatements: String?
    @Option(help: "Largest request body in bytes (env: RUNDIARY_MAX_BODY_BYTES; default 1048576).") var maxBodyBytes: Int?
    @Option(help: "Most mutations per push (env: RUNDIARY_MAX_MUTATIONS; default 500).") var maxMutations: Int?
    @Option(help: "Largest upload to POST /v1/import in bytes (env: RUNDIARY_MAX_IMPORT_BYTES; default 33554432).")
    var maxImportBytes: Int?
    @Option(help: "Largest clock skew ahead of the server, e.g. 600, 600s, 10m (env: RUNDIARY_MAX_CLOCK_SKEW; default 10m).")
    var maxClockSkew: String?
    @Option(help: "on or off: open registration (env: RUNDIARY_REGISTRATION; default on).") var registration: String?
    @Option(help: "bcrypt cost for passwords, 10…16 (env: RUNDIARY_BCRYPT_COST; default 12).") var bcryptCost: Int?
    @Option(help: "Public base URL for share links (env: RUNDIARY_PUBLIC_URL; default http://HOST:PORT).") var publicURL: String?
    @Option(
        help: """
            Requests per second per user on /v1 routes, shared by every instance on the database; a fraction is \
            allowed, e.g. 0.5 (env: RUNDIARY_USER_RATE_LIMIT; default 50).
            """)
    var userRateLimit: Double?
    @Option(help: "Requests a user may make at once after a quiet spell (env: RUNDIARY_USER_RATE_BURST; default 4× the rate).")
    var userRateBurst: Double?
    @Option(help: "Exports streamed at once per account, share links included (env: RUNDIARY_MAX_EXPORTS_PER_ACCOUNT; default 4).")
    var maxExportsPerAccount: Int?
    @Option(help: "Exports streamed at once through one share link (env: RUNDIARY_MAX_EXPORTS_PER_SHARE; default 2).")
    var maxExportsPerShare: Int?

    @Option(help: "Seconds a new connection may take to send its request head (env: RUNDIARY_HEADER_TIMEOUT; default 15).")
    var headerTimeout: String?
    @Option(help: "Seconds a keep-alive connection may stay idle between requests (env: RUNDIARY_IDLE_TIMEOUT; default 60).")
    var idleTimeout: String?
    @Option(help: "Seconds a request body may go without progress (env: RUNDIARY_BODY_TIMEOUT; default 30).")
    var bodyTimeout: String?
    @Option(help: "Most open client connections (env: RUNDIARY_MAX_CONNECTIONS; default 10000).")
    var maxConnections: Int?

    @Option(
        help: """
            PostgreSQL for the live channel's one LISTEN connection, when DATABASE_URL goes through a pooler in \
            transaction mode (env: RUNDIARY_LISTEN_DATABASE_URL; default: the database URL).
            """)
    var listenDatabaseURL: String?
    @Option(help: "Seconds between heartbeats on a live stream (env: RUNDIARY_LIVE_HEARTBEAT; default 20).")
    var liveHeartbeat: String?
    @Option(help: "Most live streams and waiting long-polls on this instance (env: RUNDIARY_MAX_STREAMS; default 10000).")
    var maxStreams: Int?
    @Option(help: "Most live streams per account; another closes the oldest (env: RUNDIARY_MAX_STREAMS_PER_ACCOUNT; default 10).")
    var maxStreamsPerAccount: Int?
    @Option(
        help: """
            Comma-separated addresses or CIDR networks of proxies whose X-Forwarded-For names the client, e.g. \
            127.0.0.1,10.0.0.0/8 (env: RUNDIARY_TRUSTED_PROXIES; default none: the peer is the client).
            """)
    var trustedProxies: String?
    @Option(help: "Port of the Prometheus listener serving GET /metrics (env: RUNDIARY_METRICS_PORT; default off).")
    var metricsPort: Int?
    @Option(help: "Address of the metrics listener (env: RUNDIARY_METRICS_HOST; default 127.0.0.1).")
    var metricsHost: String?

    func resolve() throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host ?? Environment.value("RUNDIARY_HOST") ?? configuration.host
        configuration.port = try port ?? integer("RUNDIARY_PORT", in: 0...65535) ?? configuration.port
        let poolSizes = 1...500, waiting = 0...1_000_000
        configuration.databasePoolSize =
            try poolSize ?? integer("RUNDIARY_DB_POOL_SIZE", in: poolSizes) ?? configuration.databasePoolSize
        configuration.databaseMaxWaiting =
            try dbMaxWaiting ?? integer("RUNDIARY_DB_MAX_WAITING", in: waiting) ?? configuration.databaseMaxWaiting
        guard poolSizes.contains(configuration.databasePoolSize) else {
            throw ValidationError("the pool size must be \(poolSizes.lowerBound)…\(poolSizes.upperBound)")
        }
        guard waiting.contains(configuration.databaseMaxWaiting) else {
            throw ValidationError(
                "the database wait queue (--db-max-waiting) must be \(waiting.lowerBound)…\(waiting.upperBound)")
        }
        configuration.maxBodyBytes =
            try maxBodyBytes ?? integer("RUNDIARY_MAX_BODY_BYTES", in: 1024...(64 << 20)) ?? configuration.maxBodyBytes
        configuration.maxImportBytes =
            try maxImportBytes ?? integer("RUNDIARY_MAX_IMPORT_BYTES", in: 1024...(1 << 30)) ?? configuration.maxImportBytes
        configuration.maxMutationsPerPush =
            try maxMutations ?? integer("RUNDIARY_MAX_MUTATIONS", in: 1...10_000) ?? configuration.maxMutationsPerPush
        if let skew = maxClockSkew ?? Environment.value("RUNDIARY_MAX_CLOCK_SKEW") {
            configuration.maxClockSkewSeconds = try seconds(skew, setting: "max clock skew")
        }
        if let prepared = preparedStatements ?? Environment.value("RUNDIARY_DB_PREPARED_STATEMENTS") {
            switch prepared.lowercased() {
            case "on", "true", "1", "yes": configuration.databasePreparesStatements = true
            case "off", "false", "0", "no": configuration.databasePreparesStatements = false
            default: throw ValidationError("prepared statements must be on or off, not \(prepared)")
            }
        }
        if let registration = registration ?? Environment.value("RUNDIARY_REGISTRATION") {
            switch registration.lowercased() {
            case "on", "true", "1", "yes": configuration.registrationEnabled = true
            case "off", "false", "0", "no": configuration.registrationEnabled = false
            default: throw ValidationError("registration must be on or off, not \(registration)")
            }
        }
        let costs = PasswordHasher.allowedCosts
        configuration.bcryptCost = try bcryptCost ?? integer("RUNDIARY_BCRYPT_COST", in: costs) ?? configuration.bcryptCost
        guard costs.contains(configuration.bcryptCost) else {
            throw ValidationError("bcrypt cost must be \(costs.lowerBound)…\(costs.upperBound)")
        }
        guard (0...65535).contains(configuration.port) else { throw ValidationError("port must be 0…65535") }
        configuration.publicBaseURL = publicURL ?? Environment.value("RUNDIARY_PUBLIC_URL")
        if let rate = try userRateLimit ?? decimal("RUNDIARY_USER_RATE_LIMIT") {
            guard rate >= 0.001, rate <= 100_000 else { throw ValidationError("the user rate limit must be 0.001…100000") }
            configuration.requestsPerSecondPerUser = rate
            configuration.requestBurstPerUser = max(1, rate * 4)
        }
        if let burst = try userRateBurst ?? decimal("RUNDIARY_USER_RATE_BURST") {
            guard burst >= 1, burst <= 1_000_000 else { throw ValidationError("the user rate burst must be 1…1000000") }
            configuration.requestBurstPerUser = burst
        }
        configuration.maxConcurrentExportsPerAccount =
            try maxExportsPerAccount ?? integer("RUNDIARY_MAX_EXPORTS_PER_ACCOUNT", in: 1...1000)
            ?? configuration.maxConcurrentExportsPerAccount
        configuration.maxConcurrentExportsPerShare =
            try maxExportsPerShare ?? integer("RUNDIARY_MAX_EXPORTS_PER_SHARE", in: 1...1000) ?? configuration.maxConcurrentExportsPerShare
        guard configuration.maxConcurrentExportsPerAccount >= 1, configuration.maxConcurrentExportsPerShare >= 1 else {
            throw ValidationError("export caps must be at least 1")
        }
        for (flag, variable, name, keyPath) in [
            (headerTimeout, "RUNDIARY_HEADER_TIMEOUT", "header timeout", \ServerConfiguration.headerTimeoutSeconds),
            (idleTimeout, "RUNDIARY_IDLE_TIMEOUT", "idle timeout", \ServerConfiguration.idleTimeoutSeconds),
            (bodyTimeout, "RUNDIARY_BODY_TIMEOUT", "body timeout", \ServerConfiguration.bodyTimeoutSeconds),
        ] {
            guard let text = flag ?? Environment.value(variable) else { continue }
            let value = try seconds(text, setting: name)
            guard value >= 1 else { throw ValidationError("the \(name) must be at least 1 second") }
            configuration[keyPath: keyPath] = value
        }
        configuration.maxConnections =
            try maxConnections ?? integer("RUNDIARY_MAX_CONNECTIONS", in: 1...1_000_000) ?? configuration.maxConnections
        guard configuration.maxConnections >= 1 else { throw ValidationError("max connections must be at least 1") }
        configuration.listenDatabaseURL = listenDatabaseURL ?? Environment.value("RUNDIARY_LISTEN_DATABASE_URL")
        if let text = liveHeartbeat ?? Environment.value("RUNDIARY_LIVE_HEARTBEAT") {
            let value = try seconds(text, setting: "live heartbeat")
            guard (1...3600).contains(value) else { throw ValidationError("the live heartbeat must be 1…3600 seconds") }
            configuration.liveHeartbeatSeconds = value
        }
        configuration.maxStreams = try maxStreams ?? integer("RUNDIARY_MAX_STREAMS", in: 0...1_000_000) ?? configuration.maxStreams
        guard (0...1_000_000).contains(configuration.maxStreams) else { throw ValidationError("max streams must be 0…1000000") }
        configuration.maxStreamsPerAccount =
            try maxStreamsPerAccount ?? integer("RUNDIARY_MAX_STREAMS_PER_ACCOUNT", in: 1...1000)
            ?? configuration.maxStreamsPerAccount
        guard (1...1000).contains(configuration.maxStreamsPerAccount) else {
            throw ValidationError("max streams per account must be 1…1000")
        }
        if let proxies = trustedProxies ?? Environment.value("RUNDIARY_TRUSTED_PROXIES") {
            configuration.trustedProxies = try proxies.split(separator: ",").map { text in
                guard let range = AddressRange(String(text)) else {
                    throw ValidationError("trusted proxies must be addresses or CIDR networks like 10.0.0.0/8, not \(text)")
                }
                return range
            }
        }
        configuration.metricsPort = try metricsPort ?? integer("RUNDIARY_METRICS_PORT", in: 0...65535)
        if let port = configuration.metricsPort, !(0...65535).contains(port) {
            throw ValidationError("the metrics port must be 0…65535")
        }
        configuration.metricsHost = metricsHost ?? Environment.value("RUNDIARY_METRICS_HOST") ?? configuration.metricsHost
        return configuration
    }

    private func decimal(_ name: String) throws -> Double? {
        guard let text = Environment.value(name) else { return nil }
        guard let value = Double(text), value.isFinite else { throw ValidationError("\(name) must be a number, not \(text)") }
        return value
    }

    private func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = Environment.value(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ValidationError("\(name) must be a whole number in \(range.lowerBound)…\(range.upperBound), not \(text)")
        }
        return value
    }
}

/// Parses a duration: a number of seconds, or a number with s, m, h or d.
func seconds(_ text: String, setting: String) throws -> Int {
    let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
    var digits = Substring(text)
    var unit = 1
    if let last = text.last, let multiplier = units[last] {
        digits = text.dropLast()
        unit = multiplier
    }
    guard let value = Int(digits), value >= 0, value <= Int(Int32.max) / unit else {
        throw ValidationError("\(setting) must be a duration like 600, 10m or 90d, not \(text)")
    }
    return value * unit
}
