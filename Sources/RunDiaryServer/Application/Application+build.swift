import Hummingbird
import HummingbirdCore
import Logging
import Postgres
import RunDiaryStore

/// Builds the RunDiary HTTP application: routes and middleware over the given database client.
///
/// The caller owns `client`: `rundiary serve` runs it in the same `ServiceGroup`, after the application, so that
/// the pool closes only once the server has finished its in-flight requests.
///
/// With a `gate`, the API answers 503 until the gate has found the schema current (`rundiary serve` runs the gate in
/// its service group); without one, the caller has checked the schema already (tests).
///
/// `live` is the instance's live channel when the caller needs it too (`rundiary serve`'s metrics read its figures);
/// the application runs it as one of its services. Without one, the application makes its own.
package func buildApplication(
    configuration: ServerConfiguration, client: PostgresClient, migrations: [Migration], logger: Logger,
    gate: SchemaGate? = nil, live: LiveSync? = nil
) -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self)
    // Requests by route pattern, method and status, with their durations (swift-metrics: `GET /metrics`).
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RequestLogMiddleware())
    let methods = RouteMethods()
    router.add(middleware: ProblemMiddleware(methods: methods))
    router.add(middleware: ClientAddressMiddleware(trustedProxies: configuration.trustedProxies))
    // The OpenAPI document states what every route accepts; requests are held to it before the route runs (after
    // authentication: a caller without a token learns nothing about what a route takes).
    guard let document = OpenAPIDocument.bundled else {
        preconditionFailure("the module's OpenAPI document is missing or invalid")
    }
    let validation = RequestValidationMiddleware(document: document)

    let services = AppServices(configuration: configuration, client: client, logger: logger)
    let migrator = Migrator(client: client, migrations: migrations, logger: logger)
    let live = live ?? LiveSync(configuration: configuration, client: client, logger: logger)
    router.addRoutes(HealthController(client: client, migrator: migrator, gate: gate, live: live).endpoints)
    router.addRoutes(OpenAPIController(document: document).endpoints)
    // Every route added from here on waits for the schema gate.
    router.add(middleware: SchemaGateMiddleware(gate: gate))

    let auth = AuthController(services: services)
    let v1 = router.group("v1").add(middleware: NoStoreMiddleware())
    v1.group().add(middleware: validation).addRoutes(auth.publicEndpoints, atPath: "auth")
    let rate = configuration.requestRate
    let owners = TokenOwnerCache()
    let authenticated = v1.group()
        .add(middleware: BearerAuthMiddleware(accounts: services.accounts, rate: rate, owners: owners, foldsCheck: false))
        .add(middleware: validation)
    // The sync push and pull check the token in their own first statement (two round trips fewer per sync tick).
    let checking = v1.group()
        .add(middleware: BearerAuthMiddleware(accounts: services.accounts, rate: rate, owners: owners, foldsCheck: true))
        .add(middleware: validation)
    authenticated.addRoutes(auth.endpoints, atPath: "auth")
    authenticated.addRoutes(DeviceController(services: services).endpoints, atPath: "devices")
    authenticated.addRoutes(ExportController(services: services).endpoints, atPath: "export")
    authenticated.addRoutes(ShareController(services: services).endpoints, atPath: "shares")
    router.group().add(middleware: validation).addRoutes(SharePageController(services: services).endpoints, atPath: "share")
    let clock = ServerClock()
    let sync = SyncController(services: services, store: SyncStore(client: client), clock: clock, live: live)
    checking.addRoutes(sync.checkingEndpoints, atPath: "sync")
    authenticated.addRoutes(sync.endpoints, atPath: "sync")
    authenticated.addRoutes(LiveController(live: live).endpoints, atPath: "sync")
    authenticated.addRoutes(
        ImportController(services: services, store: SyncStore(client: client), clock: clock).endpoints, atPath: "import")

    methods.load(router.routes)

    let timeouts = ConnectionGuard.Timeouts(
        header: .seconds(Int64(configuration.headerTimeoutSeconds)),
        idle: .seconds(Int64(configuration.idleTimeoutSeconds)),
        body: .seconds(Int64(configuration.bodyTimeoutSeconds)))
    return Application(
        responder: RequestTaskResponder(inner: router.buildResponder()),
        server: .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionGuard(timeouts: timeouts)])),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "RunDiary",
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
        // The live channel's listener and timers run beside the server; when it shuts down, the server goes first
        // (its streams end with `reconnect`), then these.
        services: [live],
        logger: logger
    )
}
