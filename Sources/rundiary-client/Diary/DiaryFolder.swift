import Foundation
import RunDiaryCommandLine
import RunDiarySync

/// The data folder: one SQLite diary per account (`accounts/<file>.sqlite`) and `current`, naming the one in use.
struct DiaryFolder {
    let path: String

    static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/rundiary" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/rundiary"
    }

    private var accountsPath: String { path + "/accounts" }
    private var currentPath: String { path + "/current" }

    /// The diary in use, as `login` chose it.
    func openCurrent() throws -> SyncEngine {
        guard let name = try? String(contentsOfFile: currentPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            !name.isEmpty, !name.contains("/"), FileManager.default.fileExists(atPath: accountsPath + "/" + name)
        else {
            throw CommandFailure("not signed in: run `rundiary-client login --server URL --email E` first")
        }
        return try SyncEngine(databasePath: accountsPath + "/" + name, configuration: Self.configuration)
    }

    /// The diary of `email` on `server` if this folder has one, else a new one; not yet made current.
    func diary(server: URL, email: String) async throws -> (engine: SyncEngine, file: String) {
        try FileManager.default.createDirectory(
            atPath: accountsPath, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: accountsPath)) ?? []
        for file in files.sorted() where file.hasSuffix(".sqlite") {
            let engine = try SyncEngine(databasePath: accountsPath + "/" + file, configuration: Self.configuration)
            if let account = try await engine.account(), account.server == server,
                account.email.lowercased() == email.lowercased()
            {
                return (engine, file)
            }
        }
        let file = UUID().uuidString.lowercased() + ".sqlite"
        let engine = try SyncEngine(databasePath: accountsPath + "/" + file, configuration: Self.configuration)
        // The file holds the device's token: readable by its owner only.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: accountsPath + "/" + file)
        return (engine, file)
    }

    func makeCurrent(_ file: String) throws {
        try Data(file.utf8).write(to: URL(fileURLWithPath: currentPath), options: .atomic)
    }

    /// A terminal user waits a little, not a phone's minute, before hearing that the server is down.
    static let configuration = SyncEngine.Configuration(
        retry: RetryPolicy(initialDelay: .milliseconds(300), maximumDelay: .seconds(5), attemptsPerSync: 3, maximumRetryAfter: .seconds(30))
    )
}
