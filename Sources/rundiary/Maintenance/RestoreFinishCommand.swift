import ArgumentParser
import Foundation
import RunDiaryStore

struct RestoreFinishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore-finish",
        abstract: "Start a new sync epoch after restoring a backup, so that devices reset and push back what they hold.",
        discussion: """
            Run it once after every restore (pg_restore, a PITR recovery, a restored snapshot), before the service \
            takes traffic again. A restore rewinds every account's change counter: without a new epoch, a device that \
            pulled after the backup was taken would later skip the changes that reuse its versions. With it, every \
            device's next pull answers 410 reset_required; the device pulls its diary afresh and pushes back every \
            field it holds that is newer than the server's, with the field's original clock, so that nothing any \
            device still holds is lost (docs/operations.md).

            Never run it without a restore: every device would download its whole diary again, for nothing.

            Example:
              rundiary-backup restore /var/backups/rundiary/rundiary-2026-11-29.dump   # runs restore-finish itself
              rundiary restore-finish
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = commandLogger("rundiary.restore-finish")
        let (old, new) = try await database.withClient(logger: logger) { client in
            try await SyncEpoch.begin(on: client)
        }
        print("sync epoch \(old.uuidString.lowercased()) -> \(new.uuidString.lowercased()): every device resets on its next pull")
    }
}
