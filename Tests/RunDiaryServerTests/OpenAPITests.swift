import Foundation
import HTTPTypes
import RunDiaryModels
import Testing

@Suite("The OpenAPI document matches the server")
struct OpenAPITests {
    @Test func theServedDocumentIsTheRepositorysAndIsValidOpenAPI31() async throws {
        let file = try Data(contentsOf: SchemaCheck.documentURL)
        try await TestServer.run { server in
            let served = try await server.send(.get, "/openapi.json")
            #expect(served.status == .ok)
            #expect(served.body == file)
        }
        let (status, output) = try await SchemaCheck.python(
            """
            import json, sys
            from openapi_spec_validator import validate
            document = json.load(open(sys.argv[1]))
            assert document["openapi"].startswith("3.1"), document["openapi"]
            validate(document)
            """)
        #expect(status == 0, "\(output)")
    }

    /// Every documented operation is routed: without a token it answers anything but "no such route".
    @Test func everyDocumentedOperationExists() async throws {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: SchemaCheck.documentURL)) as! [String: Any]
        let paths = (document["paths"] as! [String: [String: Any]]).mapValues { Array($0.keys) }
        #expect(paths.count >= 19)
        try await TestServer.run { server in
            for (path, methods) in paths {
                for method in methods {
                    let concrete = path.replacingOccurrences(of: "{id}", with: UUID().uuidString)
                        .replacingOccurrences(of: "{token}", with: "rds_unknown")
                    let reply = try await server.send(
                        HTTPRequest.Method(method.uppercased())!, concrete, raw: method == "post" ? Data("{}".utf8) : nil)
                    if path.hasPrefix("/share/") {
                        // A share page answers an unknown token with its own 404, marked noindex; a missing route would not.
                        #expect(reply.status == .notFound)
                        #expect(reply.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex, nofollow", "\(path) is not routed")
                    } else {
                        #expect(reply.status != .notFound, "\(method.uppercased()) \(path) is documented but not routed")
                    }
                    #expect(reply.status != .methodNotAllowed, "\(method.uppercased()) \(path)")
                    if path.hasPrefix("/v1/"), !path.hasPrefix("/v1/auth/register"), !path.hasPrefix("/v1/auth/login") {
                        #expect(reply.status == .unauthorized, "\(method.uppercased()) \(path) answered \(reply.status)")
                    }
                }
            }
        }
    }

    /// Real responses of every kind conform to the schemas the document gives them.
    @Test func responseBodiesConformToTheirSchemas() async throws {
        try await TestServer.run { server in
            var checks: [(Data, String)] = []
            let register = try await server.send(
                .post, "/v1/auth/register", json: ["email": "schema@example.org", "password": "long enough pw"])
            checks.append((register.body, "RegisterResponse"))
            let login = try await server.send(
                .post, "/v1/auth/login",
                json: LoginRequest(
                    email: "schema@example.org", password: "long enough pw", device: .init(id: UUID(), name: "phone", platform: "ios")))
            checks.append((login.body, "LoginResponse"))
            let session = try await server.signIn(email: "schema@example.org", password: "long enough pw", deviceName: "tablet")
            var device = SyncDevice(server: server, session: session)
            var other = SyncDevice(
                server: server, session: try await server.signIn(email: "schema@example.org", password: "long enough pw"))
            let id = UUID()
            _ = try await device.push([device.upsert(.gear, id, ["name": "Shoe"])])
            try await other.pullAll()
            let base = other.records[id]?.version
            _ = try await device.push([device.upsert(.gear, id, ["brand": "A"], baseVersion: base)])
            let conflicting = try await server.send(
                .post, "/v1/sync/push", token: other.session.token,
                json: PushRequest(mutations: [
                    other.upsert(.gear, id, ["brand": "B"], baseVersion: base), other.upsert(.gear, UUID(), ["brand": "no name"]),
                ]))
            checks.append((conflicting.body, "PushResponse"))
            checks.append((try await server.send(.get, "/v1/sync/pull", token: session.token).body, "PullResponse"))
            checks.append((try await server.send(.get, "/v1/sync/conflicts", token: session.token).body, "ConflictList"))
            checks.append((try await server.send(.get, "/v1/sync/rejections", token: session.token).body, "RejectionList"))
            checks.append((try await server.send(.get, "/v1/devices", token: session.token).body, "DeviceList"))
            checks.append((try await server.send(.get, "/v1/sync/pull?cursor=bad", token: session.token).body, "Problem"))
            checks.append((try await server.send(.get, "/health").body, "Status"))
            checks.append((try await server.send(.get, "/ready").body, "Readiness"))
            let share = try await server.send(
                .post, "/v1/shares", token: session.token, json: ["label": "For my PT", "from": "2026-01-01"])
            checks.append((share.body, "ShareCreated"))
            checks.append((try await server.send(.get, "/v1/shares", token: session.token).body, "ShareList"))
            let shareID = try #require(share.json["id"] as? String)
            checks.append((try await server.send(.get, "/v1/shares/\(shareID)/accesses", token: session.token).body, "AccessList"))
            for (body, schema) in checks {
                let complaint = try await SchemaCheck.violations(of: body, schema: schema)
                #expect(complaint == nil, "\(schema): \(complaint ?? "") in \(String(decoding: body, as: UTF8.self))")
            }
            // The check itself can fail: a pull response is not a push response.
            #expect(try await SchemaCheck.violations(of: checks[3].0, schema: "PushResponse") != nil)
        }
    }
}

@Suite("Health and readiness")
struct ReadinessTests {
    @Test func readyIs503WhileTheSchemaIsNotCurrent() async throws {
        try await TestServer.run { server in
            #expect(try await server.send(.get, "/health").status == .ok)
            #expect(try await server.send(.get, "/ready").status == .ok)
            try await server.database.execute("DELETE FROM schema_migrations WHERE version = 4")
            let notReady = try await server.send(.get, "/ready")
            #expect(notReady.status == .serviceUnavailable)
            #expect(notReady.json["code"] as? String == "migrations_pending")
            #expect(try await server.send(.get, "/health").status == .ok)
        }
    }
}
