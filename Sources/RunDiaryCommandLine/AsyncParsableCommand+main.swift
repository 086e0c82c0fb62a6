import ArgumentParser
import Foundation

extension AsyncParsableCommand {
    /// Runs the command line; a failure becomes one line on stderr, `program: message`, and its exit code;
    /// ArgumentParser's usage errors exit with ``CommandFailure/usage`` (its own code is 64). Both executables' `main()`.
    ///
    /// - Parameter failure: The failure an error stands for; nil leaves it to ArgumentParser's message, exiting with
    ///   ``CommandFailure/problem``.
    package static func runCommandLine(program: String, failure: @Sendable (any Error) -> CommandFailure?) async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode {
                if code == .success { print(fullMessage(for: error)) }
                Foundation.exit(code.rawValue)
            }
            if let failure = failure(error) {
                FileHandle.standardError.write(Data("\(program): \(failure.message)\n".utf8))
                Foundation.exit(failure.exitCode)
            }
            FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
            Foundation.exit(code == .validationFailure ? CommandFailure.usage : CommandFailure.problem)
        }
    }
}
