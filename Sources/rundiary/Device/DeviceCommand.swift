import ArgumentParser

/// `rundiary device …`: the devices that sync an account.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "List and revoke devices.",
        discussion: """
            Examples:
              rundiary device list ana@example.org
              rundiary device revoke 0d9e8f7a-0000-4000-8000-000000000000
            """,
        subcommands: [DeviceListCommand.self, DeviceRevokeCommand.self]
    )
}
