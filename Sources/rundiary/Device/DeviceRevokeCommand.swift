import ArgumentParser
import Foundation
import RunDiaryStore

struct DeviceRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a device and every token bound to it.",
        discussion: """
            Device ids are chosen by the devices and are unique per account only; when several accounts have a device \
            with this id, name the owner with --user (exit code 2 otherwise).

            Examples:
              rundiary device revoke 0d9e8f7a-0000-4000-8000-000000000000
              rundiary device revoke 0d9e8f7a-0000-4000-8000-000000000000 --user ana@example.org
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The device's id.") var id: UUID
    @Option(help: "The owner's email, when several users have a device with this id.") var user: String?

    func run() async throws {
        try await database.withClient(logger: commandLogger("rundiary.device")) { client in
            try await AdminStore(client: client).revokeDevice(id: id, ownerEmail: user)
        }
        print("revoked device \(Display.id(id)) and its tokens")
    }
}
