import ArgumentParser
import Foundation

@main
struct RunDiaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rundiary",
        abstract: "RunDiary: the sync server for running diaries, and its maintenance commands.",
        discussion: """
            Every command reads the database from --database-url or DATABASE_URL (a libpq connection string or \
            postgresql:// URL).

            Exit codes: 0 ok, 1 a problem was found, 2 usage error, 3 cannot reach the database.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self, TokenCommand.self, DeviceCommand.self,
            ShareCommand.self, PruneCommand.self, CheckCommand.self, StatsCommand.self, RestoreFinishCommand.self,
        ]
    )

    /// Runs the chosen command; errors become one line on stderr and the documented exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data("rundiary: \(error.message)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if error is ExitCode {
                Foundation.exit(code.rawValue)
            }
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            // ArgumentParser's own code for usage errors is 64; RunDiary promises 2.
            Foundation.exit(code == .validationFailure ? 2 : CommandFailure.from(error).exitCode)
        }
    }
}
