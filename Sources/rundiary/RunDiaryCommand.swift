import ArgumentParser
import RunDiaryCommandLine

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
        await runCommandLine(program: "rundiary") { $0 as? CommandFailure }
    }
}
