import Foundation
import RunDiaryTestSupport
import Testing

/// deploy/package, checked as dpkg, lintian and systemd see it, and run from where it was unpacked.
///
/// CI packages the debug build the test suite has just made (a release build takes minutes on two cores):
/// `deploy/package` itself builds release with the Swift runtime linked statically; here the toolchain's runtime is
/// allowed (RUNDIARY_PACKAGE_TOOLCHAIN_RUNTIME=1) and left out of Depends.
@Suite("The Debian package", .serialized)
struct PackageTests {
    /// Builds the package once per run of the suite, into a folder of its own.
    static func buildPackage(into folder: URL) async throws -> String {
        let outcome = try await Subprocess.run(
            Rundiary.repositoryRoot.appendingPathComponent("deploy/package").path,
            ["--binary", Rundiary.executable.path, "--output", folder.path, "--version", "0.1.0~test", "--compression", "gzip"],
            environment: ["RUNDIARY_PACKAGE_TOOLCHAIN_RUNTIME": "1"])
        try outcome.requireSuccess("deploy/package")
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(
        "deploy/package makes a package dpkg-deb and lintian accept, whose binary runs from a temporary root against the database and whose units systemd verifies",
        .timeLimit(.minutes(10)))
    func packageInstallsAndRuns() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-package-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let deb = try await Self.buildPackage(into: folder)
        #expect(deb.hasSuffix(".deb"))

        // dpkg-deb: the control fields, the files and their modes, the conffile.
        let depends = try await Subprocess.run("dpkg-deb", ["--field", deb, "Depends"]).requireSuccess("dpkg-deb --field").stdout
        for library in ["libpq5", "libc6", "postgresql-client"] {
            #expect(depends.contains(library), "Depends: \(depends)")
        }
        let contents = try await Subprocess.run("dpkg-deb", ["--contents", deb]).requireSuccess("dpkg-deb --contents").stdout
        for path in [
            "./usr/bin/rundiary", "./usr/bin/rundiary-backup", "./usr/share/rundiary/migrations/0001_accounts.sql",
            "./usr/share/rundiary/migrations/0010_production.sql", "./usr/share/rundiary/postgres/roles.sql",
            "./usr/share/rundiary/nginx/rundiary.conf", "./lib/systemd/system/rundiary.service",
            "./lib/systemd/system/rundiary-prune.service", "./lib/systemd/system/rundiary-prune.timer",
            "./usr/share/doc/rundiary/copyright", "./usr/share/doc/rundiary/deploy.md",
        ] {
            #expect(contents.contains(" \(path)\n"), "\(path) is packaged")
        }
        let environmentFile = contents.split(separator: "\n").first { $0.hasSuffix(" ./etc/rundiary/rundiary.env") }
        #expect(environmentFile?.hasPrefix("-rw-r----- root/root") == true, "\(environmentFile ?? "missing")")
        let control = folder.appendingPathComponent("control")
        try await Subprocess.run("dpkg-deb", ["--control", deb, control.path]).requireSuccess("dpkg-deb --control")
        #expect(try String(contentsOf: control.appendingPathComponent("conffiles"), encoding: .utf8) == "/etc/rundiary/rundiary.env\n")

        // lintian: no errors, no warnings beyond the package's documented overrides.
        let lintian = try await Subprocess.run("lintian", ["--fail-on", "error,warning", deb])
        #expect(lintian.status == 0, "\(lintian.stdout)\(lintian.stderr)")

        // Unpacked into a temporary root, the binary finds its migrations there and serves.
        let root = folder.appendingPathComponent("root")
        try await Subprocess.run("dpkg-deb", ["--extract", deb, root.path]).requireSuccess("dpkg-deb --extract")
        let binary = root.appendingPathComponent("usr/bin/rundiary")
        try await TestDatabase.withEmptyDatabase { url in
            let migrate = try await Subprocess.run(
                binary.path, ["migrate"], environment: ["DATABASE_URL": url], removing: ["RUNDIARY_MIGRATIONS"])
            try migrate.requireSuccess("packaged rundiary migrate")
            #expect(migrate.stdout.contains("applied 0010 production"), "\(migrate.stdout)")
            let server = try await ServeProcess.start(databaseURL: url, executable: binary)
            let ready = try await server.wait(for: "HTTP/1.1 200", at: "/ready")
            #expect(ready.hasPrefix("HTTP/1.1 200"), "\(ready)")
            let registered = await server.post("/v1/auth/register", json: #"{"email":"packaged@example.org","password":"long enough pw"}"#)
            #expect(registered.hasPrefix("HTTP/1.1 201"), "\(registered)")
            try await server.stop()
        }

        // systemd: the units verify (as if installed: the root gets the host's own units beside the package's), and
        // the service's sandbox is tight.
        let units = root.appendingPathComponent("lib/systemd/system")
        try await Subprocess.run("cp", ["-an", "/lib/systemd/system/.", units.path]).requireSuccess("cp host units")
        let verify = try await Subprocess.run(
            "systemd-analyze",
            [
                "verify", "--man=no", "--root=\(root.path)", "lib/systemd/system/rundiary.service",
                "lib/systemd/system/rundiary-prune.service", "lib/systemd/system/rundiary-prune.timer",
            ],
            directory: root)
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        let security = try await Subprocess.run(
            "systemd-analyze", ["security", "--offline=true", "--root=\(root.path)", "lib/systemd/system/rundiary.service"],
            directory: root)
        let rating = security.stdout.components(separatedBy: "Overall exposure level for rundiary.service: ").dropFirst().first
        let exposure: Double = rating.flatMap { Double(String($0.prefix { $0 == "." || $0.isNumber })) } ?? 10
        #expect(exposure <= 2, "systemd rates the sandbox \(exposure) (0 best, 10 worst): \(security.stdout)")
    }

    @Test("the package refuses a binary that would need the Swift toolchain on the server")
    func refusesToolchainRuntime() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-package-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await Subprocess.run(
            Rundiary.repositoryRoot.appendingPathComponent("deploy/package").path,
            ["--binary", Rundiary.executable.path, "--output", folder.path], removing: ["RUNDIARY_PACKAGE_TOOLCHAIN_RUNTIME"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--static-swift-stdlib"), "\(outcome.stderr)")
    }
}
