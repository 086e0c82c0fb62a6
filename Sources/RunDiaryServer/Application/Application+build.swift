import Hummingbird
import Logging
import Postgres
import RunDiaryStore

/// Builds the RunDiary HTTP application: routes and middleware over the given database client.
///
/// The caller owns `client`: `rundiary serve` runs it in the same `ServiceGroup`, after the application, so that
/// the pool closes only once the server has finished its in-flight requests.
public func buildApplication(
    configuration: ServerConfiguration, client: PostgresClient, migrations: [Migration], logger: Logger
) -> some ApplicationProtocol {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware())

    let services = AppServices(configuration: configuration, client: client, logger: logger)
    let migrator = Migrator(client: client, migrations: migrations, logger: logger)
    router.addRoutes(HealthController(client: client, migrator: migrator).endpoints)
    router.addRoutes(OpenAPIController().endpoints)

    let auth = AuthController(services: services)
    let v1 = router.group("v1")
    v1.addRoutes(auth.publicEndpoints, atPath: "auth")
    let authenticated = v1.group()
        .add(middleware: BearerAuthMiddleware(accounts: services.accounts))
        .add(
            middleware: UserRateLimitMiddleware(perSecond: configuration.requestsPerSecondPerUser, burst: configuration.requestBurstPerUser)
        )
    authenticated.addRoutes(auth.endpoints, atPath: "auth")
    authenticated.addRoutes(DeviceController(services: services).endpoints, atPath: "devices")
    authenticated.addRoutes(ExportController(services: services).endpoints, atPath: "export")
    authenticated.addRoutes(ShareController(services: services).endpoints, atPath: "shares")
    router.addRoutes(SharePageController(services: services).endpoints, atPath: "share")
    let clock = ServerClock()
    let sync = SyncController(services: services, store: SyncStore(client: client), clock: clock)
    authenticated.addRoutes(sync.endpoints, atPath: "sync")
    authenticated.addRoutes(
        ImportController(services: services, store: SyncStore(client: client), clock: clock).endpoints, atPath: "import")

    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "RunDiary"),
        logger: logger
    )
}
