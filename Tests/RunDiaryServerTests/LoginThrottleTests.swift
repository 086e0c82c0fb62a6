import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import RunDiaryModels
import RunDiaryServer
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("Login throttling slows guessing and never locks the owner out")
struct LoginThrottleTests {
    private static func login(
        _ server: TestServer, _ email: String, _ password: String, device: UUID = UUID()
    ) async throws -> TestServer.Reply {
        try await server.send(
            .post, "/v1/auth/login",
            json: LoginRequest(email: email, password: password, device: .init(id: device, name: "x", platform: "")))
    }

    /// Lets every current delay run out at once, as if the time had passed.
    private static func letDelaysPass(_ database: PostgresClient) async throws {
        try await database.execute("UPDATE login_failures SET blocked_until = now()")
    }

    @Test("an unknown email and a wrong password get the same answer")
    func failuresRevealNothing() async throws {
        try await TestServer.run { server in
            _ = try await server.signIn(email: "known@example.org", password: "right password")
            let wrongPassword = try await Self.login(server, "known@example.org", "wrong password")
            let unknownEmail = try await Self.login(server, "nobody@example.org", "wrong password")
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownEmail.status == .unauthorized)
            #expect(wrongPassword.json["code"] as? String == unknownEmail.json["code"] as? String)
            #expect(wrongPassword.json["detail"] as? String == unknownEmail.json["detail"] as? String)
        }
    }

    /// The longest delay any key imposes after its last failure, in seconds (what the throttle decided).
    private static func longestDelay(_ database: PostgresClient) async throws -> Double {
        try await database.query(
            "SELECT coalesce(max(extract(epoch FROM blocked_until - last_failed_at)), 0)::float8 FROM login_failures"
        ).single().decode(Double.self, at: 0)
    }

    @Test("a guesser gets five free tries, then delays that double; the owner's known phone signs in throughout")
    func guessingIsSlowedOwnerIsNot() async throws {
        try await TestServer.run { server in
            let owner = try await server.signIn(email: "owner@example.org", password: "right password")
            var delays: [Double] = []
            for attempt in 1...12 {
                // The guesser waits out each delay (the test moves time on instead of sleeping).
                try await Self.letDelaysPass(server.database)
                #expect(try await Self.login(server, "owner@example.org", "guess \(attempt)").status == .unauthorized)
                delays.append(try await Self.longestDelay(server.database))
            }
            #expect(delays.prefix(5).allSatisfy { $0 == 0 }, "five free tries: \(delays)")
            #expect(Array(delays.dropFirst(5)) == [1, 2, 4, 8, 16, 32, 64], "then doubling delays: \(delays)")

            // Held now for a minute: the guesser is told to wait, and how long.
            let held = try await Self.login(server, "owner@example.org", "guess 13")
            #expect(held.status == .tooManyRequests)
            #expect(held.json["code"] as? String == "too_many_attempts")
            #expect((1...64).contains(Int(held.headers[.retryAfter] ?? "") ?? 0), "\(held.headers)")

            // Meanwhile the owner's known device, from the same address, signs in.
            let ownerLogin = try await Self.login(server, "owner@example.org", "right password", device: owner.deviceID)
            #expect(ownerLogin.status == .ok, "\(ownerLogin.text)")
            // And the right password from an unknown device is held like any guess: the delay protects the account.
            #expect(try await Self.login(server, "owner@example.org", "right password").status == .tooManyRequests)
        }
    }

    @Test("failures on one account hold no other account behind the same address")
    func oneAccountDoesNotLockAnother() async throws {
        try await TestServer.run { server in
            _ = try await server.signIn(email: "victim@example.org", password: "right password")
            _ = try await server.signIn(email: "neighbour@example.org", password: "their password")
            for attempt in 1...12 {
                try await Self.letDelaysPass(server.database)
                _ = try await Self.login(server, "victim@example.org", "guess \(attempt)")
            }
            #expect(try await Self.login(server, "victim@example.org", "another").status == .tooManyRequests)
            #expect(try await Self.login(server, "neighbour@example.org", "their password").status == .ok)
        }
    }

    @Test("a device the account knows is held only by failures made with that device")
    func knownDeviceHasItsOwnAllowance() async throws {
        try await TestServer.run { server in
            let owner = try await server.signIn(email: "typo@example.org", password: "right password")
            for attempt in 1...16 {
                try await Self.letDelaysPass(server.database)
                let reply = try await Self.login(server, "typo@example.org", "typo \(attempt)", device: owner.deviceID)
                #expect(reply.status == .unauthorized)
            }
            #expect(try await Self.longestDelay(server.database) == 32, "ten free tries, then 1, 2, 4, … s")
            #expect(
                try await Self.login(server, "typo@example.org", "right password", device: owner.deviceID).status
                    == .tooManyRequests)
            // Revoking the device makes it unknown again.
            try await server.database.execute("UPDATE devices SET revoked_at = now() WHERE id = \(owner.deviceID)")
            try await Self.letDelaysPass(server.database)
            #expect(
                try await Self.login(server, "typo@example.org", "right password", device: owner.deviceID).status == .ok)
        }
    }

    @Test("the limit holds across two server instances on one database")
    func sharedAcrossInstances() async throws {
        try await TestServer.run { first in
            _ = try await first.signIn(email: "shared@example.org", password: "right password")
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.bcryptCost = 4
            var logger = Logger(label: "rundiary-test-second")
            logger.logLevel = .warning
            let second = buildApplication(
                configuration: configuration, client: first.database, migrations: try TestDatabase.migrations(),
                logger: logger)
            try await second.test(.live) { client in
                let other = TestServer(client: client, database: first.database, databaseURL: first.databaseURL)
                for attempt in 1...10 {
                    let instance = attempt.isMultiple(of: 2) ? first : other
                    try await Self.letDelaysPass(first.database)
                    _ = try await Self.login(instance, "shared@example.org", "guess \(attempt)")
                }
                #expect(try await Self.longestDelay(first.database) == 16, "ten failures over two instances count as ten")
                #expect(try await Self.login(first, "shared@example.org", "guess").status == .tooManyRequests)
                #expect(try await Self.login(other, "shared@example.org", "guess").status == .tooManyRequests)
            }
        }
    }

    /// The decoy is a hash at the configured cost, so verifying it is the same bcrypt work as verifying a real
    /// password (same cost, same salt and hash length). Timing itself is not asserted: the machines are shared and
    /// noisy, and equal bcrypt work is what makes the two answers take equally long.
    @Test("the unknown-email decoy costs what a real password costs")
    func decoyMatchesTheConfiguredCost() async throws {
        for cost in [10, 12] {
            let hasher = PasswordHasher(cost: cost)
            #expect(hasher.decoy.hasPrefix("$2b$\(cost)$") || hasher.decoy.hasPrefix("$2a$\(cost)$"), "\(hasher.decoy)")
            #expect(try await hasher.hash("a password").dropLast(53) == hasher.decoy.dropLast(53))
        }
    }
}
