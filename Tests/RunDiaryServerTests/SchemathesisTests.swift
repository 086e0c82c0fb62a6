import Foundation
import RunDiaryTestSupport
import Testing

/// schemathesis (from the tests' virtualenv) against a live server: generated requests the OpenAPI document allows
/// must be taken and those it forbids refused, every response must match the document, and nothing may be a 5xx.
@Suite("The OpenAPI document and the server agree (schemathesis)")
struct SchemathesisTests {
    @Test(
        "every check passes: positive and negative data, status codes, content types, headers, response schemas, methods",
        .timeLimit(.minutes(10)))
    func noFindings() async throws {
        try await TestServer.run(configure: {
            $0.requestsPerSecondPerUser = 100_000; $0.requestBurstPerUser = 100_000
        }) {
            server in
            let session = try await server.signIn(email: "schemathesis@example.org")
            // The account holds a record, so that a pull without a cursor always has changes and a long-poll
            // (`wait`) answers at once rather than spending the run's time waiting out `wait`.
            var device = SyncDevice(server: server, session: session)
            _ = try await device.push([device.upsert(.gear, UUID(), ["name": "Road shoe"])])
            let port = try #require(server.client.port)
            let report = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-schemathesis-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: report) }
            let arguments = [
                "-m", "schemathesis.cli", "--no-color",
                "--config-file", TestDatabase.repositoryRoot.appendingPathComponent("deploy/schemathesis.toml").path,
                "run", SchemaCheck.documentURL.path,
                "--url", "http://127.0.0.1:\(port)",
                "--header", "Authorization: Bearer \(session.token)",
                "--checks", "all",
                // DELETE revokes (a share link, a device): the revoked item stays listed as revoked and a share's
                // access log stays readable — a health-data audit trail outlives the link — which this check, made
                // for resources that are gone after DELETE, would report.
                "--exclude-checks", "use_after_free",
                // Routes that would revoke the token the run signs in with.
                "--exclude-operation-id", "logout", "--exclude-operation-id", "revokeDevice",
                "--phases", "examples,coverage,fuzzing,stateful", "--mode", "all",
                "--max-examples", "25", "--max-time", "180", "--seed", "20261129",
                // Longer than the longest answer the document allows: a long-poll with nothing after its cursor
                // answers once `wait` (at most 30 s) has passed, by design.
                "--generation-codec", "utf-8", "--request-timeout", "40",
                // One worker: CPython 3.11's ast.parse is not thread-safe (hypothesis describes strategies with it).
                "--workers", "1",
                "--report-dir", report.path,
            ]
            let run = try await TestPython.run(arguments)
            let output = String(decoding: run.output, as: UTF8.self)
            // The findings first (each with the request that reproduces it): CI logs keep only so much of a failure.
            #expect(run.status == 0, "schemathesis found problems:\n\(Self.findings(in: output))\n\(run.errors.suffix(4_000))")
            #expect(output.contains("Tested:"), "schemathesis did not run: \(output.suffix(2_000)) \(run.errors.suffix(2_000))")
        }
    }

    /// The FAILURES part of schemathesis's report, which names each finding and the request that reproduces it;
    /// the report's end when there is no such part.
    static func findings(in output: String) -> String {
        guard let start = output.range(of: "FAILURES") else { return String(output.suffix(12_000)) }
        let end = output.range(of: "SUMMARY", range: start.upperBound..<output.endIndex)?.lowerBound ?? output.endIndex
        return String(output[start.lowerBound..<end].prefix(12_000))
    }
}
