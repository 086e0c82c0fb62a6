import ArgumentParser
import RunDiaryStore

struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every account.",
        discussion: """
            Shows email, id, state, active devices and when a device was last seen; oldest account first.

            Examples:
              rundiary user list
              rundiary user list --json | jq -r '.[] | select(.disabled_at == null) | .email'
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let users = try await database.withClient(logger: commandLogger("rundiary.user")) { client in
            try await AdminStore(client: client).users()
        }
        if json { return try printJSON(users) }
        var table = TextTable("EMAIL", "ID", "STATE", "DEVICES", "LAST SEEN", "CREATED")
        for user in users {
            table.append(
                user.email, Display.id(user.id), user.disabledAt == nil ? "active" : "disabled", "\(user.activeDevices)",
                Display.date(user.lastSeenAt), Display.date(user.createdAt))
        }
        table.print()
    }
}
