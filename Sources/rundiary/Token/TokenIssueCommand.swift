import ArgumentParser
import Foundation
import RunDiaryStore

struct TokenIssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue an API token for a script or headless client.",
        discussion: """
            Creates a device with a new id and the given name, and a token bound to it. The token is printed once, \
            alone on stdout (ids go to stderr), and only its SHA-256 is stored: keep it somewhere safe. Revoke it \
            with `rundiary token revoke` or `rundiary device revoke`.

            Examples:
              TOKEN=$(rundiary token issue ana@example.org --device backup-script)
              rundiary token issue ana@example.org --device kiosk --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's email.") var email: String
    @Option(help: "A name for the new device (up to 200 characters).") var device: String
    @Flag(help: "Print JSON: token, token_id, device_id.") var json = false

    func validate() throws {
        guard !device.trimmingCharacters(in: .whitespaces).isEmpty, device.count <= 200 else {
            throw ValidationError("--device needs a name of 1…200 characters")
        }
    }

    func run() async throws {
        let issued = try await database.withClient(logger: commandLogger("rundiary.token")) { client in
            try await AdminStore(client: client).issueToken(email: email, deviceName: device)
        }
        if json {
            struct Issued: Encodable {
                let token: String
                let tokenID: String
                let deviceID: String
            }
            return try printJSON(
                Issued(token: issued.token.text, tokenID: Display.id(issued.tokenID), deviceID: Display.id(issued.deviceID)))
        }
        printNote("issued token \(Display.id(issued.tokenID)) for new device \(Display.id(issued.deviceID)) (shown once):")
        print(issued.token.text)
    }
}
