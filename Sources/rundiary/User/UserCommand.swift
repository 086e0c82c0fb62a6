import ArgumentParser

/// `rundiary user …`: accounts.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create, list, show, disable, enable and erase accounts.",
        discussion: """
            Examples:
              rundiary user add --email ana@example.org --password-stdin < password.txt
              rundiary user list --json
              rundiary user disable ana@example.org
              rundiary user delete ana@example.org --erase --dry-run
              rundiary user export ana@example.org --out ana-diary.zip
            """,
        subcommands: [
            UserAddCommand.self, UserListCommand.self, UserShowCommand.self, UserDisableCommand.self,
            UserEnableCommand.self, UserDeleteCommand.self, UserExportCommand.self,
        ]
    )
}
