import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiarySync

#if canImport(Glibc)
    import Glibc
#endif

/// How a command gets the password: the first line of stdin, or a prompt that does not echo.
struct PasswordOptions: ParsableArguments {
    @Flag(help: "Read the password from the first line of stdin instead of prompting.")
    var passwordStdin = false

    func read() throws -> String {
        if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CommandFailure("no password on stdin", exitCode: CommandFailure.usage)
            }
            return line
        }
        guard isatty(STDIN_FILENO) != 0, let typed = getpass("Password: ") else {
            throw CommandFailure("stdin is not a terminal: use --password-stdin", exitCode: CommandFailure.usage)
        }
        return String(cString: typed)
    }
}

/// The server URL as typed, without a trailing slash.
func serverURL(_ text: String) throws -> URL {
    let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
    guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
        throw CommandFailure("--server must be an http(s) URL such as https://diary.example.org", exitCode: CommandFailure.usage)
    }
    return url
}

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Sign this computer in to an account (its diary is kept per account).",
        discussion: "  rundiary-client login --server https://diary.example.org --email ana@example.org")

    @OptionGroup var diary: DiaryOptions
    @Option(help: "The server's URL.") var server: String
    @Option(help: "The account's email.") var email: String
    @Option(help: "The name this device shows in the account's device list.") var deviceName: String = Self.hostName
    @OptionGroup var password: PasswordOptions

    static var hostName: String {
        ProcessInfo.processInfo.hostName.isEmpty ? "terminal" : ProcessInfo.processInfo.hostName
    }

    func run() async throws {
        let url = try serverURL(server)
        let secret = try password.read()
        let (engine, file) = try await diary.folder.diary(server: url, email: email)
        let account = try await engine.signIn(server: url, email: email, password: secret, deviceName: deviceName)
        try diary.folder.makeCurrent(file)
        let status = try await engine.status()
        if diary.json {
            try printJSON(AccountOutput(account, pending: status.pendingCount))
        } else {
            print("Signed in to \(url.absoluteString) as \(account.email) (device \(account.deviceID.short)).")
            if status.pendingCount > 0 { print("\(edits(status.pendingCount)) waiting to be sent: run `rundiary-client sync`.") }
        }
    }
}

struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Create an account on a server, then sign in to it.")

    @OptionGroup var diary: DiaryOptions
    @Option(help: "The server's URL.") var server: String
    @Option(help: "The new account's email.") var email: String
    @Option(help: "The name shown for the account.") var name: String = ""
    @Option(help: "The name this device shows in the account's device list.") var deviceName: String = LoginCommand.hostName
    @OptionGroup var password: PasswordOptions

    func run() async throws {
        let url = try serverURL(server)
        let secret = try password.read()
        let (engine, file) = try await diary.folder.diary(server: url, email: email)
        try await engine.register(server: url, email: email, password: secret, displayName: name)
        let account = try await engine.signIn(server: url, email: email, password: secret, deviceName: deviceName)
        try diary.folder.makeCurrent(file)
        if diary.json {
            try printJSON(AccountOutput(account, pending: 0))
        } else {
            print("Registered \(account.email) on \(url.absoluteString) and signed in.")
        }
    }
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Sign out: the server forgets this device's token; the local diary stays.")

    @OptionGroup var diary: DiaryOptions

    func run() async throws {
        let engine = try diary.openEngine()
        let pending = try await engine.status().pendingCount
        try await engine.signOut()
        if diary.json {
            try printJSON(["signed_out": true])
        } else {
            print("Signed out.")
            if pending > 0 { print("\(edits(pending)) not sent yet: they go out after the next login and sync.") }
        }
    }
}

struct AccountOutput: Encodable {
    let server: String
    let email: String
    let userID: String
    let deviceID: String
    let signedIn: Bool
    let pending: Int

    init(_ account: AccountInfo, pending: Int) {
        server = account.server.absoluteString
        email = account.email
        userID = account.userID.uuidString.lowercased()
        deviceID = account.deviceID.uuidString.lowercased()
        signedIn = account.isSignedIn
        self.pending = pending
    }

    enum CodingKeys: String, CodingKey {
        case server, email, pending
        case userID = "user_id"
        case deviceID = "device_id"
        case signedIn = "signed_in"
    }
}
