import ArgumentParser
import RunDiaryStore

struct DeviceListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List an account's devices with their sync position.",
        discussion: """
            PULLED is the version up to which the device has pulled (- when it never pulled); pruning never removes a \
            tombstone above the position of a device seen within the retention.

            Examples:
              rundiary device list ana@example.org
              rundiary device list ana@example.org --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's email.") var email: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let devices = try await database.withClient(logger: commandLogger("rundiary.device")) { client in
            try await AdminStore(client: client).devices(email: email)
        }
        if json { return try printJSON(devices) }
        var table = TextTable("ID", "NAME", "PLATFORM", "LAST SEEN", "PULLED", "TOKENS", "REVOKED")
        for device in devices {
            table.append(
                Display.id(device.id), device.name, device.platform.isEmpty ? "-" : device.platform,
                Display.date(device.lastSeenAt), Display.optional(device.lastPulledVersion), "\(device.activeTokens)",
                Display.date(device.revokedAt))
        }
        table.print()
    }
}
