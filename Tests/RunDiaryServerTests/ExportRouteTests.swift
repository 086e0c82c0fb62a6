import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@Suite("Export over HTTP")
struct ExportRouteTests {
    @Test("every format is streamed with its content type, and downloads are offered as files")
    func formatsHaveTheirContentTypes() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "formats@example.org")
            _ = try await SeededDiary.plant(userID: session.userID, in: server.database)
            let expected: [(String, String, String?)] = [
                ("fhir", "application/fhir+json; charset=utf-8", "rundiary-fhir.json"),
                ("csv", "application/zip", "rundiary-csv.zip"),
                ("html", "text/html; charset=utf-8", nil),
                ("pdf", "application/pdf", "rundiary-report.pdf"),
                ("zip", "application/zip", "rundiary-export.zip"),
            ]
            for (format, contentType, fileName) in expected {
                let reply = try await server.send(.get, "/v1/export?format=\(format)", token: session.token)
                #expect(reply.status == .ok)
                #expect(reply.headers[.contentType] == contentType)
                #expect(reply.headers[.cacheControl] == "no-store")
                #expect(reply.headers[.contentDisposition] == fileName.map { "attachment; filename=\"\($0)\"" })
                #expect(reply.body.count > 200)
            }
        }
    }

    @Test(
        "bad export parameters are 422 problems with a code",
        arguments: [
            ("format=docx", "invalid_format"), ("", "missing_format"), ("format=csv&from=2026-13-01", "invalid_date"),
            ("format=csv&to=yesterday", "invalid_date"), ("format=html&from=2026-03-02&to=2026-03-01", "invalid_range"),
        ])
    func badParameters(query: String, code: String) async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "bad@example.org")
            let reply = try await server.send(.get, "/v1/export?\(query)", token: session.token)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect(reply.json["code"] as? String == code)
        }
    }

    @Test("exports need a bearer token, and show only the caller's diary")
    func exportIsTheCallersOnly() async throws {
        try await TestServer.run { server in
            #expect(try await server.send(.get, "/v1/export?format=csv").status == .unauthorized)
            let owner = try await server.signIn(email: "owner@example.org")
            let other = try await server.signIn(email: "other@example.org")
            let diary = try await SeededDiary.plant(userID: owner.userID, in: server.database)
            let reply = try await server.send(.get, "/v1/export?format=fhir", token: other.token)
            #expect(reply.status == .ok)
            for run in diary.runs { #expect(!reply.text.contains(run.id.uuidString.lowercased())) }
            let entries = reply.json["entry"] as? [[String: Any]] ?? []
            let types = entries.compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String }
            #expect(types == ["Composition", "Patient"])
        }
    }
}
