import Foundation
import RunDiaryStore

/// Accounts for the live scenario, each with two devices and a token per device, written by direct SQL: the scenario
/// measures how a change travels, not bcrypt, so it signs nobody in over HTTP.
struct LiveAccounts: Sendable {
    /// One account's two devices (the first pushes, the second streams; or both stream).
    struct Account: Sendable {
        let userID: UUID
        let devices: [DeviceSession]
    }

    let accounts: [Account]

    /// Creates `count` accounts named `<prefix>-<n>@bench.invalid` with two devices each.
    static func seed(prefix: String, count: Int, psql: PSQL) async throws -> LiveAccounts {
        let accounts = (0..<count).map { index in
            let userID = UUID()
            return Account(
                userID: userID,
                devices: (0..<2).map { device in
                    DeviceSession(userID: userID, deviceID: UUID(), token: newToken(), label: "\(prefix)-\(index)-\(device)")
                })
        }
        for chunk in stride(from: 0, to: accounts.count, by: 500) {
            try await psql.run(sql(Array(accounts[chunk..<min(chunk + 500, accounts.count)]), prefix: prefix, offset: chunk))
        }
        return LiveAccounts(accounts: accounts)
    }

    /// The rows of the accounts, devices and tokens (stored, as the server stores them, as the SHA-256 of the text).
    private static func sql(_ accounts: [Account], prefix: String, offset: Int) -> String {
        let users = accounts.enumerated().map { index, account in
            "('\(account.userID.lowercased)', '\(prefix)-\(offset + index)@bench.invalid', 'bench')"
        }
        let devices = accounts.flatMap { account in
            account.devices.map { "('\(account.userID.lowercased)', '\($0.deviceID.lowercased)', 'bench', 'bench')" }
        }
        let tokens = accounts.flatMap { account in
            account.devices.map {
                "('\(account.userID.lowercased)'::uuid, gen_random_uuid(), '\($0.deviceID.lowercased)'::uuid, '\($0.token)')"
            }
        }
        return """
            BEGIN;
            INSERT INTO users (id, email, display_name) VALUES \(users.joined(separator: ",\n"));
            INSERT INTO devices (user_id, id, name, platform) VALUES \(devices.joined(separator: ",\n"));
            INSERT INTO tokens (user_id, id, device_id, token_hash)
            SELECT u, t, d, sha256(convert_to(text, 'UTF8')) FROM (VALUES \(tokens.joined(separator: ",\n"))) AS v(u, t, d, text);
            COMMIT;
            """
    }

    /// A new API token, as the server issues them.
    private static func newToken() -> String {
        AccessToken.generate(.api).text
    }
}
