import ArgumentParser
import Foundation
import RunDiaryStore

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show users, active devices, records per entity, database size and the oldest device cursor.",
        discussion: """
            A device counts as active when it is not revoked and was seen in the last 7 or 30 days. The oldest cursor \
            is the non-revoked device whose last pull is the oldest, with how many changes it is behind. Live \
            listeners are the server instances whose live channel listens on this database now; each instance's \
            open streams and long-polls are in its GET /ready.

            Examples:
              rundiary stats
              rundiary stats --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let stats = try await database.withClient(logger: commandLogger("rundiary.stats")) { client in
            try await ServiceStats.collect(client: client)
        }
        if json { return try printJSON(stats) }
        print("users           \(stats.users) (\(stats.disabledUsers) disabled)")
        print("devices         \(stats.devices) (active: \(stats.devicesActive7Days) in 7 days, \(stats.devicesActive30Days) in 30 days)")
        print("live listeners  \(stats.liveListeners)")
        print("database size   \(ByteCountFormatter.string(fromByteCount: stats.databaseBytes, countStyle: .binary))")
        if let oldest = stats.oldestCursor {
            print(
                "oldest cursor   device \(Display.id(oldest.deviceID)) of user \(Display.id(oldest.userID)): "
                    + "pulled \(Display.optional(oldest.lastPulledVersion)) at \(Display.date(oldest.lastPulledAt)), "
                    + "\(oldest.versionsBehind) behind")
        } else {
            print("oldest cursor   -")
        }
        print("")
        var table = TextTable("ENTITY", "LIVE", "DELETED")
        for count in stats.records { table.append(count.entity, "\(count.live)", "\(count.tombstones)") }
        table.print()
    }
}
