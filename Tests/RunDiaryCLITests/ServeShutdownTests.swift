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
                if let socket = try? RawHTTP.connect(port: port) {
                    reply = (try? RawHTTP.exchange(socket, "GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) ?? ""
                    close(socket)
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
                ready =
                    (try? RawHTTP.connect(port: port)).map { socket in
                        defer { close(socket) }
                        return (try? RawHTTP.exchange(socket, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))?
                            .hasPrefix("HTTP/1.1 200") == true
                    } ?? false
                if !ready { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(ready)

            // Send the headers and half of the body, then ask the server to stop.
            let body = #"{"email":"late@example.org","password":"long enough pw","display_name":"Late"}"#
            let socket = try RawHTTP.connect(port: port)
            defer { close(socket) }
            let head =
                "POST /v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            try RawHTTP.send(socket, head + String(body.prefix(20)))
            try await Task.sleep(for: .milliseconds(300))
            kill(process.processIdentifier, SIGTERM)
            try await Task.sleep(for: .milliseconds(300))
            #expect(process.isRunning, "the server quit with a request in flight")
            let reply = try RawHTTP.exchange(socket, String(body.dropFirst(20)))
            #expect(reply.hasPrefix("HTTP/1.1 201"), "\(reply)")

            for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning)
            #expect(process.terminationStatus == 0)
            // New connections are refused once it has stopped.
            #expect((try? RawHTTP.connect(port: port)).map { close($0) } == nil)
        }
    }
}

/// Just enough HTTP/1.1 over a blocking socket to control exactly when each byte is sent.
enum RawHTTP {
    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestSetupError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw TestSetupError("connect() failed")
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return socket
    }

    static func send(_ socket: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw TestSetupError("send() failed")
        }
    }

    /// Sends `text` and reads until the server closes the connection.
    static func exchange(_ socket: Int32, _ text: String) throws -> String {
        try send(socket, text)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
