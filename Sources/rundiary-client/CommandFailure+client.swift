import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiarySync

extension CommandFailure {
    /// The failure for an error of the engine or the client; nil for others (ArgumentParser's own among them).
    static func from(_ error: any Error) -> CommandFailure? {
        switch error {
        case let failure as CommandFailure:
            return failure
        case let rejected as EditRejected:
            let field = rejected.field.map { " (\($0))" } ?? ""
            return CommandFailure("refused: \(rejected.code)\(field): \(rejected.message)")
        case let error as SyncError:
            switch error.code {
            case .unreachable:
                return CommandFailure("cannot reach the server: \(error.description)", exitCode: unreachable)
            case .rateLimited:
                return CommandFailure("the server asks to slow down; try again later", exitCode: unreachable)
            case .signedOut:
                return CommandFailure("not signed in: run `rundiary-client login --server URL --email E`")
            default:
                return CommandFailure(error.description)
            }
        default:
            return nil
        }
    }
}
