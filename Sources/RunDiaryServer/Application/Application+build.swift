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

    let migrator = Migrator(client: client, migrations: migrations, logger: logger)
    router.addRoutes(HealthController(client: client, migrator: migrator).endpoints)

    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "RunDiary"),
        logger: logger
    )
}
