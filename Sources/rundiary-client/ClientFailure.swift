import ArgumentParser
import Foundation
import RunDiarySync

/// An error a command reports as one line on stderr, with its exit code (the admin CLI's convention).
struct ClientFailure: Error {
    /// 1: refused input, not signed in, the server refused, or the command could not do its work.
    static let problem: Int32 = 1
    /// 2: the command line was wrong.
    static let usage: Int32 = 2
    /// 3: the server could not be reached.
    static let unreachable: Int32 = 3

    let message: String
    let exitCode: Int32

    init(_ message: String, exitCode: Int32 = ClientFailure.problem) {
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        self.exitCode = exitCode
    }

    /// The failure for an error of the engine or the client; nil for others (ArgumentParser's own among them).
    static func from(_ error: any Error) -> ClientFailure? {
        switch error {
        case let failure as ClientFailure:
            return failure
        case let rejected as EditRejected:
            let field = rejected.field.map { " (\($0))" } ?? ""
            return ClientFailure("refused: \(rejected.code)\(field): \(rejected.message)")
        case let error as SyncError:
            switch error.code {
            case .unreachable:
                return ClientFailure("cannot reach the server: \(error.description)", exitCode: unreachable)
            case .rateLimited:
                return ClientFailure("the server asks to slow down; try again later", exitCode: unreachable)
            case .signedOut:
                return ClientFailure("not signed in: run `rundiary-client login --server URL --email E`")
            default:
                return ClientFailure(error.description)
            }
        default:
            return nil
        }
    }
}
