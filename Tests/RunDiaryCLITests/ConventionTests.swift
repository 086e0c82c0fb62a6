import Foundation
import RunDiaryTestSupport
import Testing

@Suite("rundiary conventions")
struct ConventionTests {
    static let commands: [[String]] = [
        ["user"], ["user", "add"], ["user", "list"], ["user", "show"], ["user", "disable"], ["user", "enable"],
        ["user", "delete"], ["user", "export"], ["token"], ["token", "issue"], ["token", "list"], ["token", "revoke"],
        ["device"], ["device", "list"], ["device", "revoke"], ["share"], ["share", "list"], ["share", "revoke"],
        ["prune"], ["check"], ["stats"],
    ]

    @Test("every command has --help with examples", arguments: commands)
    func helpWithExamples(command: [String]) async throws {
        let help = try await Rundiary.run(command + ["--help"], databaseURL: nil)
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: rundiary \(command.joined(separator: " "))"), "\(help.stdout)")
        #expect(help.stdout.contains("Example"), "\(command.joined(separator: " ")) --help has no example")
    }

    @Test("no database given is a usage error (exit 2), one line on stderr")
    func noDatabase() async throws {
        let outcome = try await Rundiary.run(["user", "list"], databaseURL: nil)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "rundiary: no database given: set DATABASE_URL or pass --database-url\n")
    }

    @Test("an unreachable database exits 3 with one line and no password")
    func unreachableDatabase() async throws {
        let url = "postgresql://rundiary:s3cret-pw@127.0.0.1:1/rundiary?connect_timeout=2"
        for command in [["user", "list"], ["stats"], ["prune", "--dry-run"], ["check"]] {
            let outcome = try await Rundiary.run(command, databaseURL: url)
            #expect(outcome.status == 3, "\(command)")
            #expect(outcome.stderr.hasPrefix("rundiary: cannot reach the database"))
            #expect(outcome.stderr.split(separator: "\n").count == 1)
            #expect(!outcome.stderr.contains("s3cret-pw"))
        }
    }

    @Test("unknown options and malformed ids are usage errors (exit 2)")
    func usageErrors() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            for command in [
                ["user", "list", "--bogus"], ["token", "revoke", "not-a-uuid"], ["prune", "--retention", "soon"],
                ["user", "delete", "ana@example.org"],
            ] {
                let outcome = try await Rundiary.run(command, databaseURL: url)
                #expect(outcome.status == 2, "\(command): \(outcome.stderr)")
                #expect(!outcome.stderr.isEmpty)
            }
        }
    }
}
