/// An error a command reports as one line on stderr, with its exit code: the convention `rundiary` and
/// `rundiary-client` share.
package struct CommandFailure: Error, Sendable {
    /// 1: a problem was found, the input or the server refused, or the command could not do its work.
    package static let problem: Int32 = 1
    /// 2: the command line was wrong.
    package static let usage: Int32 = 2
    /// 3: what the command works on could not be reached (the database for `rundiary`, the server for
    /// `rundiary-client`).
    package static let unreachable: Int32 = 3

    package let message: String
    package let exitCode: Int32

    package init(_ message: String, exitCode: Int32 = CommandFailure.problem) {
        // One line on stderr: libpq's and servers' messages carry newlines and tabs (a hint on a second line).
        self.message = message.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        self.exitCode = exitCode
    }
}
