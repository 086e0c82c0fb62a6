import ArgumentParser
import Foundation
import RunDiaryStore

struct TokenRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an API token at once.",
        discussion: """
            The id is the one `rundiary token list` shows. The token's device stays; to cut a device off entirely use \
            `rundiary device revoke`.

            Example:
              rundiary token revoke 6f1c2d3e-0000-4000-8000-000000000000
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The token's id.") var id: UUID
    @Option(help: "The owner's email, when several users have a token with this id.") var user: String?

    func run() async throws {
        let revoked = try await database.withClient(logger: commandLogger("rundiary.token")) { client in
            try await AdminStore(client: client).revokeToken(id: id, ownerEmail: user)
        }
        print(revoked ? "revoked token \(Display.id(id))" : "token \(Display.id(id)) was revoked already")
    }
}
