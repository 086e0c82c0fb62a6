import ArgumentParser
import Foundation
import RunDiaryModels
import RunDiarySync

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Send what was logged here and fetch what other devices logged.",
        discussion: "With --watch it keeps going (live when the server has a live channel) until interrupted.")

    @OptionGroup var diary: DiaryOptions
    @Flag(help: "Keep syncing, following the server's live channel, until interrupted (Ctrl-C).") var watch = false

    struct Output: Encodable {
        let acknowledged: Int
        let rejected: Int
        let conflicts: Int
        let pulled: Int
        let reset: Bool
        let pending: Int
    }

    func run() async throws {
        let engine = try diary.openEngine()
        if watch {
            try await follow(engine)
            return
        }
        let report = try await engine.sync()
        let status = try await engine.status()
        if diary.json {
            try printJSON(
                Output(
                    acknowledged: report.acknowledged, rejected: report.rejected, conflicts: report.conflicts, pulled: report.pulled,
                    reset: report.reset, pending: status.pendingCount))
            return
        }
        print(
            "Sent \(edits(report.acknowledged)), received \(report.pulled) change\(report.pulled == 1 ? "" : "s")."
        )
        if report.reset { print("The server asked for a fresh start: the whole diary was fetched again (nothing unsent was lost).") }
        if report.rejected > 0 || report.conflicts > 0 {
            print("\(report.rejected) refused, \(report.conflicts) conflicts: see `rundiary-client status`.")
        }
    }

    /// Runs the engine's loop and prints each change of status until the process is interrupted.
    private func follow(_ engine: SyncEngine) async throws {
        let loop = Task { await engine.run() }
        defer { loop.cancel() }
        var last: String?
        for await status in engine.statusChanges() {
            let line: String
            switch status.phase {
            case .idle: line = "up to date (\(status.pendingCount) pending), live: \(Self.words(status.liveChannel))"
            case .syncing: continue
            case .offline: line = "server unreachable; \(edits(status.pendingCount)) waiting; retrying"
            case .signedOut: line = "signed out: run `rundiary-client login` in another terminal"
            case .failed(let error): line = "sync failed: \(error)"
            }
            guard line != last else { continue }
            last = line
            if diary.json {
                try printJSON(["time": ISO8601DateFormatter().string(from: Date()), "status": line])
            } else {
                print("\(LocalTime.display(LocalTime.now()))  \(line)")
            }
            fflush(nil)  // a watch runs until interrupted: each line must reach a pipe at once
        }
    }

    private static func words(_ channel: SyncStatus.LiveChannel) -> String {
        switch channel {
        case .stopped: "stopped"
        case .connecting: "connecting"
        case .connected: "connected"
        case .unavailable: "not offered by the server, syncing every \(DiaryFolder.configuration.pollInterval)"
        }
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Account, pending edits, last sync, and what the server refused, with how to fix it.")

    @OptionGroup var diary: DiaryOptions
    @Flag(help: "Forget the refused edits and conflicts listed (after dealing with them).") var clear = false

    struct Output: Encodable {
        let account: AccountOutput?
        let pending: Int
        let lastSyncedAt: Date?
        let rejections: [Rejection]
        let conflicts: [Conflict]

        enum CodingKeys: String, CodingKey {
            case account, pending, rejections, conflicts
            case lastSyncedAt = "last_synced_at"
        }
    }

    struct Rejection: Encodable {
        let mutationID: Int64
        let entity: String
        let recordID: String
        let code: String
        let field: String?
        let message: String
        let fix: String

        enum CodingKeys: String, CodingKey {
            case entity, code, field, message, fix
            case mutationID = "mutation_id"
            case recordID = "record_id"
        }
    }

    struct Conflict: Encodable {
        let entity: String
        let recordID: String
        let field: String
        let kept: String
        let lost: String

        enum CodingKeys: String, CodingKey {
            case entity, field, kept, lost
            case recordID = "record_id"
        }
    }

    func run() async throws {
        let engine = try diary.openEngine()
        let status = try await engine.status()
        let rejections = try await engine.rejections().map { rejection in
            Rejection(
                mutationID: rejection.id, entity: rejection.mutation.rawEntity, recordID: rejection.mutation.id.uuidString.lowercased(),
                code: rejection.code.rawValue, field: rejection.field, message: rejection.message, fix: Self.fix(rejection))
        }
        let conflicts = try await engine.conflicts().map { item in
            Conflict(
                entity: item.entity.rawValue, recordID: item.recordID.uuidString.lowercased(), field: item.conflict.field,
                kept: Self.text(item.conflict.winningValue), lost: Self.text(item.conflict.losingValue))
        }
        if diary.json {
            try printJSON(
                Output(
                    account: status.account.map { AccountOutput($0, pending: status.pendingCount) }, pending: status.pendingCount,
                    lastSyncedAt: status.lastSyncedAt, rejections: rejections, conflicts: conflicts))
        } else {
            if let account = status.account {
                print("\(account.email) on \(account.server.absoluteString)\(account.isSignedIn ? "" : " (signed out)")")
            }
            print("Pending edits: \(status.pendingCount)")
            print("Last sync: \(status.lastSyncedAt.map { LocalTime.display(LocalTime.stamp($0)) } ?? "never")")
            for rejection in rejections {
                print(
                    "Refused \(words(rejection.entity)) \(rejection.recordID.prefix(8)): \(rejection.code)\(rejection.field.map { " on \($0)" } ?? ""): \(rejection.message)"
                )
                print("  fix: \(rejection.fix)")
            }
            for conflict in conflicts {
                print(
                    "Conflict on \(words(conflict.entity)) \(conflict.recordID.prefix(8)) \(conflict.field): kept \(conflict.kept), lost \(conflict.lost)"
                )
                print(
                    "  fix: if the lost value was right, set it again: rundiary-client edit \(conflict.recordID.prefix(8)) --set \(conflict.field)=…"
                )
            }
        }
        if clear {
            for rejection in rejections { try await engine.dismissRejection(mutationID: rejection.mutationID) }
            for conflict in try await engine.conflicts() { try await engine.dismissConflict(id: conflict.id) }
        }
    }

    static func fix(_ rejection: SyncRejection) -> String {
        switch rejection.code.rawValue {
        case "record_deleted": "the record was deleted on another device; log the entry again if it still matters"
        case "invalid_reference": "it names a record this account does not have; log it again without that link, or with another"
        case "clock_skew": "this computer's clock is ahead of the server's: correct it, then log the entry again"
        case "missing_field", "out_of_range", "invalid_value", "invalid_type", "too_long", "unknown_field", "read_only_field":
            "correct \(rejection.field ?? "the value") and log the entry again"
        default: "log the entry again once the cause is fixed"
        }
    }

    private static func text(_ value: RunDiaryModels.JSONValue) -> String {
        var bytes: [UInt8] = []
        value.appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
