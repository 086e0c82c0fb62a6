import ArgumentParser
import RunDiaryStore

struct UserDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable an account: its tokens and share links stop working at once.",
        discussion: """
            Nothing is deleted; `rundiary user enable` restores access.

            Example:
              rundiary user disable ana@example.org
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's email.") var email: String

    func run() async throws {
        let changed = try await database.withClient(logger: commandLogger("rundiary.user")) { client in
            try await AdminStore(client: client).setDisabled(email: email, true)
        }
        print(changed ? "disabled \(email)" : "\(email) was disabled already")
    }
}
