import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryStore

struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an account.",
        discussion: """
            Without --password-stdin the account has no password and cannot log in until one is set. With it, the \
            first line of stdin is the password (8 characters to 72 bytes), hashed with bcrypt at the cost in \
            RUNDIARY_BCRYPT_COST (10…16, default 12). The password never appears on the command line or in output.

            Examples:
              rundiary user add --email ana@example.org
              printf '%s\\n' "$PASSWORD" | rundiary user add --email ana@example.org --password-stdin
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The account's email (unique, case-insensitive).") var email: String
    @Option(help: "A display name.") var name = ""
    @Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        let trimmed = email.trimmingCharacters(in: .whitespaces)
        guard trimmed == email, (3...254).contains(email.count), email.contains("@") else {
            throw ValidationError("\(email) is not an email address")
        }
        guard name.count <= 200 else { throw ValidationError("the name is longer than 200 characters") }
    }

    func run() async throws {
        var passwordHash: String? = nil
        if passwordStdin {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw CommandFailure("no password on stdin", exitCode: CommandFailure.usage)
            }
            guard password.unicodeScalars.count >= PasswordHasher.minPasswordCharacters,
                password.utf8.count <= PasswordHasher.maxPasswordBytes
            else {
                throw CommandFailure(
                    "the password must be \(PasswordHasher.minPasswordCharacters) characters to "
                        + "\(PasswordHasher.maxPasswordBytes) bytes long", exitCode: CommandFailure.usage)
            }
            passwordHash = try await PasswordHasher(cost: try bcryptCost()).hash(password)
        }
        let user = try await database.withClient(logger: commandLogger("rundiary.user")) { client in
            try await AdminStore(client: client).addUser(email: email, passwordHash: passwordHash, displayName: name)
        }
        if json {
            try printJSON(user)
        } else {
            print("created user \(user.email) \(Display.id(user.id))\(user.hasPassword ? "" : " (no password: cannot log in)")")
        }
    }

    private func bcryptCost() throws -> Int {
        guard let text = Environment.value("RUNDIARY_BCRYPT_COST") else { return 12 }
        guard let cost = Int(text), (10...16).contains(cost) else {
            throw CommandFailure("RUNDIARY_BCRYPT_COST must be a whole number in 10…16, not \(text)", exitCode: CommandFailure.usage)
        }
        return cost
    }
}
