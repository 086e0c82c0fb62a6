import Foundation
import HTTPTypes
import RunDiaryModels
import Testing

/// Every problematic character class, put into every string every route takes: the answer is a clear 4xx (or a
/// rejected verdict inside a push) for what the service refuses, success for what it accepts, and never a 5xx or a
/// wedged queue.
@Suite("Text the service cannot store is refused at the edge in every string of every route")
struct TextCatalogueTests {
    /// Refused by ``AcceptedText``: U+0000 (PostgreSQL cannot store it) and other C0 controls.
    static let refused = ["\u{0}", "\u{1}", "\u{1B}", "\u{1F}"]
    /// Accepted: odd but storable.
    static let accepted = ["\t", "\u{7F}", "\u{85}", "\u{2028}", "\u{202E}", "\u{FFFF}", "🏃"]

    private static func body(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }

    private static func field(_ reply: TestServer.Reply) -> String? {
        (reply.json["errors"] as? [[String: Any]])?.first?["field"] as? String
    }

    @Test("account routes: 422 invalid_value naming the field, for every string and key")
    func accountRoutes() async throws {
        try await TestServer.run { server in
            for (index, character) in Self.refused.enumerated() {
                let register: [(String, [String: Any])] = [
                    ("email", ["email": "a\(character)@example.org", "password": "long enough pw"]),
                    ("password", ["email": "p\(index)@example.org", "password": "long \(character) enough"]),
                    ("display_name", ["email": "n\(index)@example.org", "password": "long enough pw", "display_name": "R\(character)"]),
                    ("x\u{FFFD}", ["email": "k\(index)@example.org", "password": "long enough pw", "x\(character)": 1]),
                ]
                for (field, object) in register {
                    let reply = try await server.send(.post, "/v1/auth/register", raw: try Self.body(object))
                    #expect(
                        reply.status == .unprocessableContent, "register \(field) \(character.unicodeScalars.first!.value): \(reply.text)")
                    #expect(reply.json["code"] as? String == "invalid_value")
                    #expect(Self.field(reply) == field)
                }
                let device: [String: Any] = ["id": UUID().uuidString, "name": "phone", "platform": "ios"]
                let login: [(String, [String: Any])] = [
                    ("email", ["email": "a\(character)@example.org", "password": "long enough pw", "device": device]),
                    ("password", ["email": "a@example.org", "password": "pw\(character)pw", "device": device]),
                    (
                        "device.name",
                        ["email": "a@example.org", "password": "pw", "device": ["id": UUID().uuidString, "name": "p\(character)"]]
                    ),
                    (
                        "device.platform",
                        [
                            "email": "a@example.org", "password": "pw",
                            "device": ["id": UUID().uuidString, "name": "p", "platform": "i\(character)"],
                        ]
                    ),
                ]
                for (field, object) in login {
                    let reply = try await server.send(.post, "/v1/auth/login", raw: try Self.body(object))
                    #expect(reply.status == .unprocessableContent, "login \(field): \(reply.text)")
                    #expect(Self.field(reply) == field)
                }
            }
            for character in Self.accepted {
                let email = "ok\(character.unicodeScalars.first!.value)@example.org"
                let reply = try await server.send(
                    .post, "/v1/auth/register",
                    raw: try Self.body(["email": email, "password": "long \(character) enough", "display_name": "R\(character)"]))
                #expect(reply.status == .created, "\(reply.text)")
            }
        }
    }

    @Test("share labels and scopes: 422 with the field; odd but storable labels are kept")
    func shareRoutes() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "share-text@example.org")
            for character in Self.refused {
                for (field, object) in [
                    ("label", ["label": "Dr\(character)"]), ("include[0]", ["label": "x", "include": ["ru\(character)n"]]),
                    ("from", ["label": "x", "from": "2026-01-0\(character)1"]),
                ] as [(String, [String: Any])] {
                    let reply = try await server.send(.post, "/v1/shares", token: session.token, raw: try Self.body(object))
                    #expect(reply.status == .unprocessableContent, "\(field): \(reply.text)")
                    #expect(Self.field(reply) == field)
                }
            }
            for character in Self.accepted {
                let reply = try await server.send(
                    .post, "/v1/shares", token: session.token, raw: try Self.body(["label": "Dr\(character)"]))
                #expect(reply.status == .created, "\(reply.text)")
            }
            let list = try await server.send(.get, "/v1/shares", token: session.token)
            #expect(list.status == .ok)
            #expect((list.json["shares"] as? [[String: Any]])?.count == Self.accepted.count)
        }
    }

    @Test("in a push, each place of a mutation refuses the mutation alone; the queue moves on and the rejection is kept")
    func pushNeverWedges() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "push-text@example.org"))
            let gear = UUID()
            _ = try await device.push([device.upsert(.gear, gear, ["name": "Trainers"])])
            for character in Self.refused {
                let pain: [String: JSONValue] = [
                    "recorded_at": "2026-11-21T07:00:00Z", "body_site": "hip", "side": "left", "severity": 3, "timing": "after_run",
                ]
                let places: [(Mutation, String)] = [
                    (device.upsert(.gear, gear, ["name": .string("T\(character)")]), "name"),
                    (device.upsert(.gear, gear, ["br\(character)and": "x"]), "br\u{FFFD}and"),
                    (
                        device.upsert(
                            .run, UUID(), ["started_at": "2026-11-21T07:00:00Z", "elapsed_s": 60, "surface": .string("road\(character)")]),
                        "surface"
                    ),
                    (
                        device.upsert(.painEntry, UUID(), pain.merging(["qualities": ["aching", .string("sharp\(character)")]]) { $1 }),
                        "qualities[1]"
                    ),
                    (renamed(device.upsert(.gear, gear, ["name": "x"]), entity: "gear\(character)"), "entity"),
                    (renamed(device.upsert(.gear, gear, ["name": "x"]), op: "upsert\(character)"), "op"),
                    (renamed(device.upsert(.gear, gear, ["name": "x"]), hlcSuffix: character), "hlc"),
                ]
                let mutations = places.map(\.0) + [device.upsert(.gear, UUID(), ["name": "Spare"])]
                let reply = try await server.send(
                    .post, "/v1/sync/push", token: device.session.token, json: PushRequest(mutations: mutations))
                #expect(reply.status == .ok, "\(reply.text)")
                let response = try reply.decode(PushResponse.self)
                for (result, (_, field)) in zip(response.results, places) {
                    #expect(result.status == .rejected, "\(field)")
                    #expect(result.code?.rawValue == "invalid_value", "\(field)")
                    #expect(result.field == field)
                }
                #expect(response.results.last?.status == .applied, "the valid mutation after them is applied")
                #expect(response.lastMutationID == mutations.last!.mutationID)
            }
            let rejections = try await server.send(.get, "/v1/sync/rejections?limit=1000", token: device.session.token)
            #expect(rejections.status == .ok)
            let rows = rejections.json["rejections"] as? [[String: Any]] ?? []
            #expect(rows.count == Self.refused.count * 7)
            #expect(!rejections.text.contains("\\u0000"), "what could not be stored is kept in a storable form")
            #expect(rows.contains { ($0["message"] as? String)?.contains("U+FFFD") == true })
        }
    }

    @Test("query strings and path parameters with control characters are 4xx, never 5xx")
    func queriesAndPaths() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "query-text@example.org")
            for encoded in ["%00", "%01", "%1B", "%E2%80%A8", "%FF", "%C0%AF"] {
                for uri in [
                    "/v1/sync/pull?cursor=c1.\(encoded)", "/v1/sync/pull?limit=1\(encoded)", "/v1/sync/conflicts?before=\(encoded)",
                    "/v1/export?format=html\(encoded)", "/v1/export?format=csv&from=2026-01-01\(encoded)",
                    "/v1/export?format=csv&to=\(encoded)", "/v1/devices/\(encoded)", "/v1/shares/\(encoded)/accesses",
                    "/share/rds_\(encoded)", "/share/rds_\(encoded)/fhir",
                ] {
                    let method: HTTPRequest.Method = uri.hasPrefix("/v1/devices/") ? .delete : .get
                    let reply = try await server.send(method, uri, token: session.token)
                    #expect((400..<500).contains(reply.status.code), "\(uri): \(reply.status) \(reply.text)")
                    #expect(reply.headers[.contentType] == "application/problem+json", "\(uri)")
                }
            }
        }
    }

    @Test("JSON that encodes no text at all — a lone surrogate, bytes that are not UTF-8 — is malformed_json")
    func malformedEncodings() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "bytes@example.org")
            let bodies: [[UInt8]] = [
                Array(#"{"label": "\ud800"}"#.utf8), Array(#"{"label": "\udc00x"}"#.utf8),
                Array(#"{"label": ""#.utf8) + [0xFF] + Array(#""}"#.utf8),
                Array(#"{"label": ""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),
            ]
            for bytes in bodies {
                for (route, token) in [("/v1/shares", session.token), ("/v1/auth/register", nil), ("/v1/sync/push", session.token)] {
                    let reply = try await server.send(.post, route, token: token, raw: Data(bytes))
                    #expect(reply.status == .badRequest, "\(route) \(bytes): \(reply.text)")
                    #expect(reply.json["code"] as? String == "malformed_json")
                }
            }
        }
    }

    private func renamed(_ mutation: Mutation, entity: String? = nil, op: String? = nil, hlcSuffix: String? = nil) -> Mutation {
        Mutation(
            mutationID: mutation.mutationID, rawEntity: entity ?? mutation.rawEntity, id: mutation.id, rawOp: op ?? mutation.rawOp,
            rawHLC: mutation.rawHLC + (hlcSuffix ?? ""), baseVersion: mutation.baseVersion, fields: mutation.fields)
    }
}
