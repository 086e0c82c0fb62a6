import Foundation
import HTTPTypes
import RunDiaryModels
import RunDiaryStore
import Testing

@Suite("Requests are held to the OpenAPI document, which states the shared rules")
struct RequestValidationTests {
    private static func schema(_ name: String) throws -> [String: Any] {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: SchemaCheck.documentURL)) as? [String: Any]
        let schemas = (document?["components"] as? [String: Any])?["schemas"] as? [String: Any]
        return try #require(schemas?[name] as? [String: Any], "no schema \(name)")
    }

    private static func matches(_ text: String, _ pattern: String) throws -> Bool {
        let swift = pattern.replacingOccurrences(of: #"\\u([0-9A-Fa-f]{4})"#, with: #"\\u{$1}"#, options: .regularExpression)
        return try Regex(swift).firstMatch(in: text) != nil
    }

    @Test("the document's text and date patterns are exactly AcceptedText and DiaryCalendar")
    func patternsAreTheSharedRules() throws {
        let text = try #require(try Self.schema("AcceptedText")["pattern"] as? String)
        for value in 0..<0x80 {
            let scalar = Unicode.Scalar(UInt8(value))
            #expect(try Self.matches("a\(scalar)b", text) == AcceptedText.accepts(scalar), "U+\(String(value, radix: 16))")
        }
        #expect(try Self.matches("é🏃\u{2028}", text))
        let date = try #require(try Self.schema("DiaryDate")["pattern"] as? String)
        for (candidate, inside) in [
            ("1899-12-31", false), ("1900-01-01", true), ("2099-12-31", true), ("2100-01-01", false), ("0001-01-01", false),
            ("9999-12-31", false), ("2026-11-29", true),
        ] {
            #expect(try Self.matches(candidate, date) == inside, "\(candidate)")
            #expect(DiaryCalendar.contains(LocalDate(candidate)!) == inside, "\(candidate)")
        }
    }

    @Test("the document's numbers are the server's constants")
    func constantsAgree() throws {
        let register = try #require(try Self.schema("RegisterRequest")["properties"] as? [String: Any])
        let password = try #require(register["password"] as? [String: Any])
        #expect(password["minLength"] as? Int == PasswordHasher.minPasswordCharacters)
        #expect((password["description"] as? String)?.contains("\(PasswordHasher.maxPasswordBytes) bytes") == true)
        let share = try #require(try Self.schema("ShareCreateRequest")["properties"] as? [String: Any])
        #expect((share["expires_in_hours"] as? [String: Any])?["default"] as? Int == 168)
    }

    @Test("unknown fields, nulls, wrong types and repeated parameters are 422 with where")
    func refusals() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "strict@example.org")
            for (route, body, field, code) in [
                ("/v1/shares", #"{"label": "x", "lable": "y"}"#, "lable", "unknown_field"),
                ("/v1/shares", #"{"label": "x", "include": null}"#, "include", "invalid_type"),
                // Of several issues, the first in member-name order is reported, whatever the body's order.
                ("/v1/shares", #"{"zeta": 1, "max_views": 10001, "label": "x", "alpha": 2}"#, "alpha", "unknown_field"),
                ("/v1/shares", #"{"max_views": 10001, "zeta": 1, "lable": "y", "label": "x"}"#, "lable", "unknown_field"),
                ("/v1/shares", #"{"zeta": 1, "label": "x", "max_views": 10001}"#, "max_views", "out_of_range"),
                ("/v1/shares", #"{"label": ""}"#, "label", "invalid_value"),
                ("/v1/shares", #"{"label": "x", "from": "1899-12-31"}"#, "from", "invalid_value"),
                ("/v1/shares", #"{"label": "x", "max_views": 10001}"#, "max_views", "out_of_range"),
                ("/v1/auth/register", #"{"email": " a@b.cd", "password": "long enough pw"}"#, "email", "invalid_value"),
                ("/v1/auth/register", #"{"email": "", "password": "long enough pw"}"#, "email", "invalid_value"),
                (
                    "/v1/auth/login",
                    #"{"email": "a@b.cd", "password": "x", "device": {"id": "6f1c8a52-0000-4000-8000-000000000001", "name": "p", "os": "x"}}"#,
                    "device.os", "unknown_field"
                ),
                ("/v1/sync/push", #"{"schema_version": 1, "mutations": [], "extra": 1}"#, "extra", "unknown_field"),
                (
                    "/v1/sync/push",
                    #"{"schema_version": 1, "mutations": [{"mutation_id": 1, "entity": "run", "id": "6f1c8a52-0000-4000-8000-000000000001", "op": "delete", "hlc": "x"}, {"mutation_id": 2, "entity": "run", "id": " 6f1c8a5-0000-4000-8000-000000000001", "op": "delete", "hlc": "x"}]}"#,
                    "mutations[1].id", "invalid_value"
                ),
            ] {
                let reply = try await server.send(.post, route, token: session.token, raw: Data(body.utf8))
                #expect(reply.status == .unprocessableContent, "\(route) \(body): \(reply.text)")
                let issue = (reply.json["errors"] as? [[String: Any]])?.first
                #expect(issue?["field"] as? String == field, "\(route) \(body)")
                #expect(issue?["code"] as? String == code, "\(route) \(body)")
            }
            for uri in ["/v1/sync/pull?limit=5&limit=6", "/v1/sync/conflicts?before=0", "/v1/sync/rejections?limit=1001"] {
                let reply = try await server.send(.get, uri, token: session.token)
                #expect(reply.status == .unprocessableContent, "\(uri): \(reply.text)")
            }
            // Without a token, nothing about the request's form is said: 401 first.
            #expect(try await server.send(.get, "/v1/sync/conflicts?before=0").status == .unauthorized)
        }
    }
}
