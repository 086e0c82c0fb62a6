import Foundation
import RunDiaryTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("rundiary serve")
struct ServeShutdownTests {
    @Test("refuses a database with pending migrations unless told to migrate")
    func refusesPendingMigrations() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            let refused = try await Rundiary.run(["serve", "--port", "0"], databaseURL: url)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("pending migrations"), "\(refused.stderr)")
        }
    }

    @Test("RUNDIARY_MIGRATE=1 migrates first, then /ready answers 200", .timeLimit(.minutes(2)))
    func migratesWhenAsked() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            let port = Int.random(in: 30_000...39_000)
            let process = Process()
            process.executableURL = Rundiary.executable
            process.arguments = ["serve", "--port", "\(port)"]
            process.environment = ProcessInfo.processInfo.environment.merging(["DATABASE_URL": url, "RUNDIARY_MIGRATE": "1"]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            var reply = ""
            for _ in 0..<200 where !reply.hasPrefix("HTTP/1.1 200") {
                if let connection = try? RawConnection(port: port) {
                    reply = (try? await connection.exchange("GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) ?? ""
                }
                if !reply.hasPrefix("HTTP/1.1 200") { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(reply.hasPrefix("HTTP/1.1 200"), "\(reply)")
            #expect(reply.contains(#""status":"ready""#))
        }
    }

    /// A request in flight when SIGTERM arrives is answered in full; then the process exits 0.
    @Test("SIGTERM lets an in-flight request finish", .timeLimit(.minutes(2)))
    func gracefulShutdown() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let port = Int.random(in: 20_000...29_000)
            let process = Process()
            process.executableURL = Rundiary.executable
            process.arguments = ["serve", "--port", "\(port)", "--bcrypt-cost", "10"]
            process.environment = ProcessInfo.processInfo.environment.merging(["DATABASE_URL": url]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate() } }

            var ready = false
            for _ in 0..<200 where !ready {
                if let connection = try? RawConnection(port: port) {
                    ready =
                        (try? await connection.exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))?
                        .hasPrefix("HTTP/1.1 200") == true
                }
                if !ready { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(ready)

            // Send the headers and half of the body, then ask the server to stop.
            let body = #"{"email":"late@example.org","password":"long enough pw","display_name":"Late"}"#
            let connection = try RawConnection(port: port)
            let head =
                "POST /v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            try connection.send(head + String(body.prefix(20)))
            try await Task.sleep(for: .milliseconds(300))
            kill(process.processIdentifier, SIGTERM)
            try await Task.sleep(for: .milliseconds(300))
            #expect(process.isRunning, "the server quit with a request in flight")
            let reply = try await connection.exchange(String(body.dropFirst(20)))
            #expect(reply.hasPrefix("HTTP/1.1 201"), "\(reply)")

            for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning)
            #expect(process.terminationStatus == 0)
            // New connections are refused once it has stopped.
            #expect((try? RawConnection(port: port)) == nil)
        }
    }
}
