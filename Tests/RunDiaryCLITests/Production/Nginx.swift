import Foundation
import RunDiaryTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// nginx from Debian's package, serving the repository's site (deploy/nginx/rundiary.conf) with a certificate made for
/// the test, in front of the given `rundiary serve` ports.
///
/// The site is used as written, except for what is the test's own: the addresses it listens on, the certificate's
/// files, the instances in its upstream, and `proxy_bind 127.0.0.2` so that the instances see the proxy at an address
/// of its own (they trust 127.0.0.2 and must find the client, 127.0.0.1, in X-Forwarded-For).
final class Nginx: Sendable {
    let port: Int
    /// The certificate authority that signed the server's certificate (PEM), for the clients to trust.
    let certificateAuthority: String
    private let directory: URL
    /// Foundation's Process is Sendable; only its pid and running state are read from other tasks.
    private let process: Process

    static let site = Rundiary.repositoryRoot.appendingPathComponent("deploy/nginx/rundiary.conf")

    /// Starts nginx on two ports found free. Another process can take a port between `freePort` and nginx's bind;
    /// nginx then retries the bind for a few seconds and exits, while a connection to the port reaches that other
    /// process. So nginx counts as started only once its pid file exists (nginx writes it after binding every
    /// listening socket) and it still runs; if it exited, it is started again on other ports.
    static func start(upstreams: [Int]) async throws -> Nginx {
        try await Subprocess.onFreePorts {
            try await start(upstreams: upstreams, in: URL(fileURLWithPath: "/tmp/rundiary-nginx-\(UUID().uuidString.prefix(8))"))
        }
    }

    private static func start(upstreams: [Int], in directory: URL) async throws -> Nginx {
        for sub in ["", "temp"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let certificateAuthority = try await makeCertificates(in: directory)
        let port = try Subprocess.freePort()
        let redirectPort = try Subprocess.freePort()
        var site = try String(contentsOf: Self.site, encoding: .utf8)
        let path = directory.path
        let replacements = [
            ("    listen 80;\n", "    listen 127.0.0.1:\(redirectPort);\n"),
            ("    listen [::]:80;\n", ""),
            ("    listen 443 ssl http2;\n", "    listen 127.0.0.1:\(port) ssl http2;\n"),
            ("    listen [::]:443 ssl http2;\n", ""),
            ("/etc/letsencrypt/live/diary.example.org/fullchain.pem", "\(path)/server.pem"),
            ("/etc/letsencrypt/live/diary.example.org/privkey.pem", "\(path)/server.key"),
            (
                "    server 127.0.0.1:8080 max_fails=1 fail_timeout=10s;\n",
                upstreams.map { "    server 127.0.0.1:\($0) max_fails=1 fail_timeout=10s;\n" }.joined()
            ),
            ("    proxy_http_version 1.1;\n", "    proxy_http_version 1.1;\n    proxy_bind 127.0.0.2;\n"),
        ]
        for (original, replacement) in replacements {
            guard site.components(separatedBy: original).count == 2 else {
                throw TestSetupError("deploy/nginx/rundiary.conf no longer has exactly one \(original.debugDescription)")
            }
            site = site.replacingOccurrences(of: original, with: replacement)
        }
        try site.write(to: directory.appendingPathComponent("rundiary.conf"), atomically: true, encoding: .utf8)
        let main = """
            daemon off;
            worker_processes 1;
            \(getuid() == 0 ? "user root;" : "")
            pid \(path)/nginx.pid;
            error_log \(path)/error.log warn;
            events { worker_connections 512; }
            http {
                client_body_temp_path \(path)/temp/body;
                proxy_temp_path \(path)/temp/proxy;
                fastcgi_temp_path \(path)/temp/fastcgi;
                uwsgi_temp_path \(path)/temp/uwsgi;
                scgi_temp_path \(path)/temp/scgi;
                include \(path)/rundiary.conf;
            }
            """
        try main.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", path, "-e", "\(path)/error.log", "-c", "\(path)/nginx.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let nginx = Nginx(port: port, certificateAuthority: certificateAuthority, directory: directory, process: process)
        let pidFile = directory.appendingPathComponent("nginx.pid").path
        for _ in 0..<200 {
            guard process.isRunning else { break }
            if FileManager.default.fileExists(atPath: pidFile), (try? RawConnection(port: port)) != nil, process.isRunning {
                return nginx
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        await nginx.stop()
        throw TestSetupError("nginx did not start: \(log)")
    }

    private init(port: Int, certificateAuthority: String, directory: URL, process: Process) {
        self.port = port
        self.certificateAuthority = certificateAuthority
        self.directory = directory
        self.process = process
    }

    var url: String { "https://127.0.0.1:\(port)" }

    /// A certificate authority and a server certificate it signed for 127.0.0.1 and localhost; the CA's PEM path.
    private static func makeCertificates(in directory: URL) async throws -> String {
        let path = directory.path
        try await Subprocess.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=RunDiary test CA", "-keyout", "\(path)/ca.key", "-out", "\(path)/ca.pem",
            ]
        ).requireSuccess("openssl req (CA)")
        try await Subprocess.run(
            "openssl",
            [
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", "\(path)/server.key", "-out", "\(path)/server.csr",
            ]
        ).requireSuccess("openssl req (server)")
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        try await Subprocess.run(
            "openssl",
            [
                "x509", "-req", "-in", "\(path)/server.csr", "-CA", "\(path)/ca.pem", "-CAkey", "\(path)/ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", "\(path)/server.ext", "-out", "\(path)/server.pem",
            ]
        ).requireSuccess("openssl x509 (sign)")
        return "\(path)/ca.pem"
    }

    func stop() async {
        if process.isRunning {
            // SIGQUIT: nginx's graceful shutdown.
            kill(process.processIdentifier, SIGQUIT)
            for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
