import Foundation
import RunDiaryModels
import Testing

/// The fixtures are the contract clients are written against: each must decode to exactly these values and
/// survive a round trip.
@Suite("Wire messages")
struct WireFixtureTests {
    let phone = UUID(uuidString: "7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60")!
    let runID = UUID(uuidString: "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01")!

    @Test("push request")
    func pushRequest() throws {
        let request = try Fixture.roundTrip("push-request", as: PushRequest.self)
        #expect(request.schemaVersion == 1 && request.mutations.count == 3)
        let create = request.mutations[0]
        #expect(create.mutationID == 41 && create.entity == .run && create.op == .upsert && create.id == runID)
        #expect(create.hlc == HLC(physicalMillis: 1_795_700_719_123, counter: 0, node: phone))
        #expect(create.baseVersion == nil)
        #expect(create.fields?["distance_m"] == .number(8012.5) && create.fields?["elapsed_s"] == .integer(2950))
        #expect(create.fields?["is_indoor"] == .bool(true) && create.fields?.count == 13)
        let patch = request.mutations[1]
        #expect(patch.entity == .painEntry && patch.baseVersion == 17)
        #expect(patch.fields == ["severity": 4, "activity_impact": nil])
        let delete = request.mutations[2]
        #expect(delete.entity == .gear && delete.op == .delete && delete.fields == nil)
        #expect(EntitySchema.run.validateCreate(create.fields ?? [:]).isEmpty)
    }

    @Test("a malformed entity, op or clock stays in its own mutation")
    func lenientMutation() throws {
        let json = #"""
            {"schema_version": 1, "mutations": [
              {"mutation_id": 1, "entity": "shoe", "id": "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01", "op": "upsert",
               "hlc": "2026-11-26T13:45:19.123Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60"},
              {"mutation_id": 2, "entity": 7, "id": "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01", "op": "merge",
               "hlc": "yesterday"},
              {"mutation_id": 3, "id": "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01", "hlc": {"ms": 1}}
            ]}
            """#
        let request = try JSONDecoder().decode(PushRequest.self, from: Data(json.utf8))
        #expect(request.mutations.map(\.rawEntity) == ["shoe", "7", ""])
        #expect(request.mutations.map(\.entity) == [nil, nil, nil])
        #expect(request.mutations.map(\.rawOp) == ["upsert", "merge", ""])
        #expect(request.mutations[1].op == nil && request.mutations[1].hlc == nil)
        #expect(request.mutations[2].rawHLC == #"{"ms":1}"#)
        #expect(request.mutations[0].hlc != nil)
    }

    @Test(
        "a non-integer mutation id, a bad record id or non-object fields fail the whole request",
        arguments: [
            #"{"mutation_id": "1", "entity": "run", "id": "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01", "op": "delete", "hlc": ""}"#,
            #"{"mutation_id": 1.5, "entity": "run", "id": "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01", "op": "delete", "hlc": ""}"#,
            #"{"mutation_id": 1, "entity": "run", "id": "not-a-uuid", "op": "delete", "hlc": ""}"#,
            #"{"mutation_id": 1, "entity": "run", "id": "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01", "op": "upsert", "hlc": "", "fields": [1]}"#,
            #"{"entity": "run", "id": "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01", "op": "delete", "hlc": ""}"#,
        ]
    )
    func strictParts(_ mutation: String) {
        let json = #"{"schema_version": 1, "mutations": ["# + mutation + "]}"
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PushRequest.self, from: Data(json.utf8)) }
    }

    /// The server writes a push's answer itself (plain verdicts directly, the others through `JSONEncoder`): it must
    /// say what the fixture says, member for member, and read back to the same response.
    @Test("push response as the server writes it")
    func pushResponseWrittenByHand() throws {
        let response = try Fixture.roundTrip("push-response", as: PushResponse.self)
        let written = try response.json()
        #expect(try JSONValue(parsing: written) == Fixture.json("push-response"))
        #expect(try JSONValue(parsing: written) == JSONValue(parsing: Array(JSONEncoder().encode(response))))
        #expect(try JSONDecoder().decode(PushResponse.self, from: Data(written)) == response)
        let plain = PushResponse(
            results: [
                MutationResult(mutationID: 7, status: .applied, version: 12),
                MutationResult(mutationID: 8, status: .duplicate),
            ], lastMutationID: 8, serverHLC: HLC(physicalMillis: 1_795_700_719_123, counter: 2, node: phone))
        #expect(
            String(decoding: try plain.json(), as: UTF8.self)
                == #"{"results":[{"mutation_id":7,"status":"applied","version":12},{"mutation_id":8,"status":"duplicate"}],"#
                + #""last_mutation_id":8,"server_hlc":"2026-11-26T13:45:19.123Z-0002-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60"}"#)
    }

    @Test("push response")
    func pushResponse() throws {
        let response = try Fixture.roundTrip("push-response", as: PushResponse.self)
        #expect(response.results.map(\.status) == [.applied, .merged, .duplicate, .rejected, .rejected])
        #expect(response.results.map(\.mutationID) == [41, 42, 43, 44, 45])
        #expect(response.lastMutationID == 45)
        #expect(response.serverHLC.counter == 3)
        let merged = response.results[1]
        #expect(merged.version == 19 && merged.staleFields == ["activity_impact"])
        let conflict = try #require(merged.conflicts?.first)
        #expect(conflict.field == "severity" && conflict.winner == .stored)
        #expect(conflict.winningValue == 6 && conflict.losingValue == 4)
        #expect(conflict.losingHLC.node == phone && conflict.winningHLC > conflict.losingHLC)
        let invalid = response.results[3]
        #expect(invalid.code == RejectionCode(.outOfRange) && invalid.field == "severity")
        #expect(invalid.errors == [ValidationIssue(field: "severity", code: .outOfRange, message: "severity must be between 0 and 10.")])
        #expect(response.results[4].code == .recordDeleted && response.results[4].field == nil)
    }

    @Test("pull response")
    func pullResponse() throws {
        let response = try Fixture.roundTrip("pull-response", as: PullResponse.self)
        #expect(response.cursor == "v20" && !response.hasMore && response.changes.count == 2)
        let run = response.changes[0]
        #expect(run.entity == .run && run.id == runID && run.version == 18 && !run.deleted)
        #expect(run.fields["title"] == .null && run.fields["rpe"] == 6.5 && Set(run.fields.keys) == Set(run.clocks.keys))
        #expect(run.clocks["rpe"].map { $0 > run.clocks["started_at"]! } == true)
        let tombstone = response.changes[1]
        #expect(tombstone.entity == .gear && tombstone.deleted && tombstone.fields.isEmpty && tombstone.clocks.isEmpty)
    }

    @Test("a change is built from a stored record")
    func changeFromState() {
        let clock = HLC.at(0, on: phone)
        let state = RecordState(
            entity: .run, id: runID, fields: ["elapsed_s": 60], clocks: ["elapsed_s": clock],
            fieldVersions: ["elapsed_s": 3], version: 3)
        #expect(
            Change(state)
                == Change(
                    entity: .run, id: runID, version: 3, deleted: false, fields: ["elapsed_s": 60],
                    clocks: ["elapsed_s": clock]))
    }

    @Test("problem details")
    func problem() throws {
        let problem = try Fixture.roundTrip("problem", as: ProblemDetails.self)
        #expect(problem.status == 422 && problem.code == "validation_failed")
        #expect(problem.type == "https://rundiary.example/problems/validation-failed")
        #expect(problem.instance == "/v1/sync/push" && problem.detail == "2 fields are invalid.")
        #expect(problem.errors?.map(\.code) == [.missingField, .invalidType])
        let minimal = #"{"title": "Not Found", "status": 404, "code": "not_found"}"#
        let decoded = try JSONDecoder().decode(ProblemDetails.self, from: Data(minimal.utf8))
        #expect(decoded.type == "about:blank" && decoded.errors == nil)
    }

    @Test("encoded messages use exactly the fixture's keys")
    func encodedKeys() throws {
        for (name, value) in [
            ("push-request", try Fixture.roundTrip("push-request", as: PushRequest.self) as any Encodable),
            ("push-response", try Fixture.roundTrip("push-response", as: PushResponse.self)),
            ("pull-response", try Fixture.roundTrip("pull-response", as: PullResponse.self)),
            ("problem", try Fixture.roundTrip("problem", as: ProblemDetails.self)),
        ] {
            let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
            #expect(encoded == (try Fixture.json(name)), "\(name)")
        }
    }
}
