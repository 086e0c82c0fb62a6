import Logging
import Postgres
import RunDiaryStore

/// What the routes share: settings, the database and the stores over it.
struct AppServices: Sendable {
    let configuration: ServerConfiguration
    let client: PostgresClient
    let accounts: AccountStore
    let passwords: PasswordHasher
    let loginThrottle: LoginThrottle
    /// The concurrency caps of exports, shared by the owner's exports and share links.
    let exportSlots: ExportSlots
    let logger: Logger

    init(configuration: ServerConfiguration, client: PostgresClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.accounts = AccountStore(client: client)
        self.passwords = PasswordHasher(cost: configuration.bcryptCost)
        self.loginThrottle = LoginThrottle(client: client)
        self.exportSlots = ExportSlots(
            perAccount: configuration.maxConcurrentExportsPerAccount, perShare: configuration.maxConcurrentExportsPerShare)
        self.logger = logger
    }
}
