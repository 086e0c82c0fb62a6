import ArgumentParser
import RunDiaryCommandLine

@main
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rundiary-client",
        abstract: "A running diary in the terminal, synced with a RunDiary server.",
        discussion: """
            Everything is kept in a local database first (under $XDG_DATA_HOME/rundiary, or --data-dir), so logging \
            works offline; `sync` delivers it later and brings what other devices logged.

              rundiary-client login --server http://127.0.0.1:8080 --email ana@example.org
              rundiary-client log run --distance 5k --time 28:30 --surface treadmill --rpe 6
              rundiary-client log pain --site hip --side left --severity 4 --timing after-run --run last
              rundiary-client history --days 14
              rundiary-client sync

            Exit codes: 0 ok, 1 a problem (refused input, not signed in, the server refused), 2 usage error, \
            3 the server cannot be reached.
            """,
        subcommands: [
            LoginCommand.self, RegisterCommand.self, LogoutCommand.self, LogCommand.self, AddCommand.self, EditCommand.self,
            DeleteCommand.self, TodayCommand.self, HistoryCommand.self, PlansCommand.self, ShoesCommand.self, SyncCommand.self,
            StatusCommand.self, ShareCommand.self, ExportCommand.self, ImportCommand.self,
        ]
    )

    /// Runs the chosen command; errors become one line on stderr and the documented exit code.
    static func main() async {
        await runCommandLine(program: "rundiary-client", failure: CommandFailure.from)
    }
}
