import ArgumentParser

/// `rundiary share …`: share links for a physical therapist.
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "List and revoke share links.",
        discussion: """
            Examples:
              rundiary share list --user ana@example.org
              rundiary share revoke 3b2a1c0d-0000-4000-8000-000000000000
            """,
        subcommands: [ShareListCommand.self, ShareRevokeCommand.self]
    )
}
