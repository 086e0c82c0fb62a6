import ArgumentParser
import Hummingbird
import Logging
import Postgres
import RunDiaryCommandLine
import RunDiaryServer
import RunDiaryStore
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server.",
        discussion: """
            Stops when the database's migrations are pending, unless --migrate (or RUNDIARY_MIGRATE=1) asks it to apply \
            them. Starts while the database is down: /health answers, /ready and the API answer 503 until it can be \
            reached. Stops gracefully on SIGTERM or SIGINT: live streams end with `event: reconnect`, requests in \
            flight finish, then the pool closes. Raises its open-file limit (RLIMIT_NOFILE) to the hard limit, since \
            every connection and live stream is a descriptor.

            Examples:
              DATABASE_URL=postgresql:///rundiary rundiary serve --migrate
              rundiary serve --host 0.0.0.0 --port 8080 --database-url postgresql://rundiary@db/rundiary
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: ServeOptions
    @Flag(help: "Apply pending migrations before serving (env: RUNDIARY_MIGRATE=1).") var migrate = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error (env: RUNDIARY_LOG_LEVEL; default info).")
    var logLevel: String?

    func run() async throws {
        let configuration = try options.resolve()
        // Before anything counts: metrics made before the bootstrap would count into nothing.
        let registry = configuration.metricsPort.map { _ in MetricsEndpoint.bootstrap() }
        let levelName = logLevel ?? Environment.value("RUNDIARY_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ValidationError("unknown log level \(levelName)")
        }
        // Written by a thread of its own: a slow log output must not hold up requests (BackgroundLogWriter).
        var logger = Logger(label: "rundiary") { StreamLogHandler.background(label: $0) }
        logger.logLevel = level
        defer { BackgroundLogWriter.standardError.flush(timeout: .seconds(5)) }

        if let limit = OpenFileLimit.raiseToHardLimit() {
            let needed = configuration.maxConnections + configuration.databasePoolSize + 64
            if limit < UInt64(needed) {
                logger.warning(
                    "the open-file limit is below what --max-connections needs; raise it (ulimit -n, systemd LimitNOFILE=)",
                    metadata: ["limit": .stringConvertible(limit), "needed": .stringConvertible(needed)])
            }
        }
        let migrations = try database.loadMigrations()
        let client = PostgresClient(
            configuration: PostgresConfiguration(
                connectionString: try database.resolvedURL(), maxConnections: configuration.databasePoolSize,
                preparesStatements: configuration.databasePreparesStatements, maxWaiting: configuration.databaseMaxWaiting),
            logger: logger)
        let shouldMigrate = migrate || ["1", "true", "yes", "on"].contains(Environment.value("RUNDIARY_MIGRATE")?.lowercased())
        // The database may come up after this server (a host's boot order): the gate waits for it while /health
        // answers; a schema that is behind without --migrate still stops the server.
        let gate = SchemaGate(
            migrator: Migrator(client: client, migrations: migrations, logger: logger), migrate: shouldMigrate,
            warmUp: SyncStore.connectionWarmUp(rate: configuration.requestRate), logger: logger)
        let live = LiveSync(configuration: configuration, client: client, logger: logger)
        let app = buildApplication(
            configuration: configuration, client: client, migrations: migrations, logger: logger, gate: gate, live: live)
        var members: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: client),
            .init(service: gate, successTerminationBehavior: .ignore),
        ]
        if let registry, let port = configuration.metricsPort {
            let metrics = MetricsEndpoint(registry: registry, client: client, live: live.registry)
                .application(host: configuration.metricsHost, port: port, logger: logger)
            members.append(
                .init(service: Listener(name: "the metrics endpoint", host: configuration.metricsHost, port: port, inner: metrics)))
            logger.info("metrics", metadata: ["url": .string("http://\(configuration.metricsHost):\(port)/metrics")])
        }
        members.append(
            .init(
                service: Listener(name: "the API", host: configuration.host, port: configuration.port, inner: app),
                successTerminationBehavior: .gracefullyShutdownGroup))
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: members,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info("serving", metadata: ["url": .string("http://\(configuration.host):\(configuration.port)")])
        do {
            try await services.run()
        } catch {
            throw CommandFailure.from(error)
        }
    }
}
