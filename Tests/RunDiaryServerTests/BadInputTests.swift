import Foundation
import HTTPTypes
import RunDiaryModels
import Testing

@Suite("Bad input gets its documented status and code, never a 500")
struct BadInputTests {
    private func expectProblem(_ reply: TestServer.Reply, _ status: HTTPResponse.Status, _ code: String) {
        #expect(reply.status == status, "\(reply.text)")
        #expect(reply.headers[.contentType] == "application/problem+json")
        #expect(reply.json["code"] as? String == code, "\(reply.text)")
        #expect(reply.json["status"] as? Int == status.code)
    }

    @Test func requestLevelErrors() async throws {
        try await TestServer.run(configure: {
            $0.maxBodyBytes = 64 << 10; $0.maxMutationsPerPush = 10
        }) { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "bad@example.org"))
            let token = device.session.token

            expectProblem(
                try await server.send(.post, "/v1/sync/push", token: token, raw: Data("{\"mutations\": [".utf8)), .badRequest,
                "malformed_json")
            expectProblem(
                try await server.send(.post, "/v1/sync/push", token: token, raw: Data("not json".utf8)), .badRequest, "malformed_json")
            let wrongType = try await server.send(
                .post, "/v1/sync/push", token: token, raw: Data(#"{"schema_version": 1, "mutations": "many"}"#.utf8))
            expectProblem(wrongType, .unprocessableContent, "invalid_type")
            #expect((wrongType.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "mutations")
            let missing = try await server.send(.post, "/v1/sync/push", token: token, raw: Data(#"{"schema_version": 1}"#.utf8))
            expectProblem(missing, .unprocessableContent, "missing_field")
            let badID = try await server.send(
                .post, "/v1/sync/push", token: token,
                raw: Data(
                    #"{"schema_version": 1, "mutations": [{"mutation_id": "one", "entity": "run", "id": "6f1c8a52-0000-4000-8000-000000000001", "op": "upsert", "hlc": "x"}]}"#
                        .utf8))
            expectProblem(badID, .unprocessableContent, "invalid_type")
            #expect((badID.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "mutations[0].mutation_id")
            expectProblem(
                try await server.send(.post, "/v1/sync/push", token: token, raw: Data(#"{"schema_version": 99, "mutations": []}"#.utf8)),
                .unprocessableContent, "unsupported_schema_version")

            let oversized = Data(("{\"schema_version\":1,\"mutations\":[],\"pad\":\"" + String(repeating: "x", count: 70_000) + "\"}").utf8)
            expectProblem(
                try await server.send(.post, "/v1/sync/push", token: token, raw: oversized), .contentTooLarge, "payload_too_large")
            let tooMany = (0..<11).map { _ in device.upsert(.gear, UUID(), ["name": "x"]) }
            expectProblem(
                try await server.send(.post, "/v1/sync/push", token: token, json: PushRequest(mutations: tooMany)),
                .contentTooLarge, "too_many_mutations")

            expectProblem(try await server.send(.get, "/v1/sync/pull?cursor=garbage", token: token), .badRequest, "invalid_cursor")
            expectProblem(try await server.send(.get, "/v1/sync/pull?limit=0", token: token), .unprocessableContent, "out_of_range")
            expectProblem(try await server.send(.get, "/v1/sync/pull?limit=5001", token: token), .unprocessableContent, "out_of_range")
            expectProblem(try await server.send(.get, "/v1/sync/pull?limit=ten", token: token), .unprocessableContent, "invalid_type")
            expectProblem(try await server.send(.get, "/v1/sync/pull?clocks=compact", token: token), .unprocessableContent, "invalid_value")
            expectProblem(try await server.send(.get, "/v1/nothing-here", token: token), .notFound, "not_found")

            // Missing and revoked tokens.
            expectProblem(try await server.send(.get, "/v1/sync/pull"), .unauthorized, "unauthorized")
            #expect(try await server.send(.post, "/v1/auth/logout", token: token).status == .noContent)
            expectProblem(try await server.send(.get, "/v1/sync/pull", token: token), .unauthorized, "unauthorized")
        }
    }

    @Test func mutationLevelErrorsAreRejectedOneByOne() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "rules@example.org"))
            let pain: [String: JSONValue] = [
                "recorded_at": "2026-11-21T07:00:00Z", "body_site": "hip", "side": "left", "severity": 3, "timing": "after_run",
            ]
            var future = HybridLogicalClock(node: device.session.deviceID)
            let tomorrow = future.now(physicalMillis: Int64(Date().timeIntervalSince1970 * 1000) + 86_400_000)
            var foreign = HybridLogicalClock(node: UUID())
            let cases: [(Mutation, String, String?)] = [
                (
                    Mutation(
                        mutationID: 1, rawEntity: "injury", id: UUID(), rawOp: "upsert", rawHLC: device.upsert(.gear, UUID(), [:]).rawHLC,
                        fields: ["name": "x"]), "invalid_entity", "entity"
                ),
                (device.upsert(.painEntry, UUID(), pain.merging(["mood": "grumpy"]) { $1 }), "unknown_field", "mood"),
                (device.upsert(.painEntry, UUID(), pain.merging(["severity": 12]) { $1 }), "out_of_range", "severity"),
                (device.upsert(.painEntry, UUID(), pain.merging(["severity": "bad"]) { $1 }), "invalid_type", "severity"),
                (device.upsert(.painEntry, UUID(), pain.merging(["body_site": "elbow"]) { $1 }), "invalid_value", "body_site"),
                (
                    device.upsert(.painEntry, UUID(), pain.merging(["notes": .string(String(repeating: "n", count: 4001))]) { $1 }),
                    "too_long", "notes"
                ),
                (device.upsert(.painEntry, UUID(), ["severity": 3]), "missing_field", nil),
                (device.upsert(.painEntry, UUID(), pain.merging(["version": 99]) { $1 }), "read_only_field", "version"),
                (
                    Mutation(mutationID: 0, entity: .gear, id: UUID(), op: .upsert, hlc: tomorrow, fields: ["name": "x"]), "clock_skew",
                    "hlc"
                ),
                (
                    Mutation(mutationID: 0, entity: .gear, id: UUID(), op: .upsert, hlc: foreign.now(), fields: ["name": "x"]),
                    "invalid_hlc", "hlc"
                ),
                (
                    Mutation(
                        mutationID: 0, rawEntity: "gear", id: UUID(), rawOp: "merge", rawHLC: device.upsert(.gear, UUID(), [:]).rawHLC,
                        fields: ["name": "x"]), "invalid_op", "op"
                ),
                (
                    Mutation(mutationID: 0, rawEntity: "gear", id: UUID(), rawOp: "upsert", rawHLC: "yesterday", fields: ["name": "x"]),
                    "invalid_hlc", "hlc"
                ),
            ]
            // Number the mutations in order so that none is a duplicate.
            let mutations = cases.enumerated().map { index, entry in
                var mutation = entry.0
                mutation.mutationID = Int64(1000 + index)
                return mutation
            }
            let response = try await device.push(mutations)
            #expect(response.results.count == cases.count)
            for (result, expected) in zip(response.results, cases) {
                #expect(result.status == .rejected)
                #expect(result.code?.rawValue == expected.1, "\(result)")
                if let field = expected.2 { #expect(result.field == field, "\(result)") }
            }
            #expect(response.lastMutationID == Int64(1000 + cases.count - 1))
            let kept = try await server.send(.get, "/v1/sync/rejections?limit=100", token: device.session.token)
            #expect((kept.json["rejections"] as? [[String: Any]])?.count == cases.count)
        }
    }
}

@Suite("Request rates are capped per user")
struct RateLimitTests {
    @Test func aUserOverTheLimitIsToldToWaitAndOthersAreNot() async throws {
        // A refill so slow (one request per 1000 s) that the test does not depend on how fast it runs.
        try await TestServer.run(configure: {
            $0.requestsPerSecondPerUser = 0.001; $0.requestBurstPerUser = 5
        }) { server in
            let busy = try await server.signIn(email: "busy@example.org")
            let calm = try await server.signIn(email: "calm@example.org")
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<8 { statuses.append(try await server.send(.get, "/v1/devices", token: busy.token).status) }
            #expect(statuses.prefix(5).allSatisfy { $0 == .ok })
            #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
            let limited = try await server.send(.get, "/v1/devices", token: busy.token)
            #expect(limited.json["code"] as? String == "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await server.send(.get, "/v1/devices", token: calm.token).status == .ok)
        }
    }
}
