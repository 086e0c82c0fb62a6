import ArgumentParser
import Foundation
import RunDiaryStore

struct ShareRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a share link at once.",
        discussion: """
            The link stops working on its next use; its access log is kept until pruned.

            Example:
              rundiary share revoke 3b2a1c0d-0000-4000-8000-000000000000
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The share link's id.") var id: UUID
    @Option(help: "The owner's email, when several users have a share link with this id.") var user: String?

    func run() async throws {
        let revoked = try await database.withClient(logger: commandLogger("rundiary.share")) { client in
            try await AdminStore(client: client).revokeShare(id: id, ownerEmail: user)
        }
        print(revoked ? "revoked share link \(Display.id(id))" : "share link \(Display.id(id)) was revoked already")
    }
}
