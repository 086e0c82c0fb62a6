import ArgumentParser

/// `rundiary token …`: API tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue, list and revoke API tokens.",
        discussion: """
            Examples:
              TOKEN=$(rundiary token issue ana@example.org --device backup-script)
              rundiary token list ana@example.org
              rundiary token revoke 6f1c2d3e-0000-4000-8000-000000000000
            """,
        subcommands: [TokenIssueCommand.self, TokenListCommand.self, TokenRevokeCommand.self]
    )
}
