import Foundation
import RunDiaryModels
import Testing

@Suite("Push bodies: a batch is well formed or refused whole, with the field at fault")
struct PushRequestDecodingTests {
    private func decode(_ text: String) -> Result<PushRequest, PushRequestError>? {
        guard let json = try? JSONValue(parsing: Array(text.utf8)) else {
            Issue.record("not JSON: \(text)")
            return nil
        }
        do {
            return .success(try PushRequest(json: json))
        } catch {
            return .failure(error)
        }
    }

    private func issue(_ text: String) -> ValidationIssue? {
        guard case .failure(let error)? = decode(text) else { return nil }
        return error.issue
    }

    private static func mutation(_ id: String, extra: String = "") -> String {
        #"{"mutation_id": \#(id), "entity": "gear", "id": "8F14E45F-CEEA-467F-A0E6-0B3A1F6E7D11", "op": "upsert", "hlc": "x", "fields": {"name": "Trainers"}\#(extra)}"#
    }

    @Test("a well-formed batch decodes as JSONDecoder decodes it")
    func wellFormed() throws {
        let text = #"{"schema_version": 1, "mutations": [\#(Self.mutation("1")), \#(Self.mutation("7", extra: #", "base_version": 3"#))]}"#
        guard case .success(let request)? = decode(text) else {
            Issue.record("refused")
            return
        }
        #expect(request == (try JSONDecoder().decode(PushRequest.self, from: Data(text.utf8))))
        #expect(request.mutations.map(\.mutationID) == [1, 7])
        #expect(request.mutations[1].baseVersion == 3)
    }

    @Test("mutation ids start at 1 and grow within a batch; anything else refuses the batch with the field")
    func mutationIDs() {
        #expect(issue(#"{"schema_version": 1, "mutations": [\#(Self.mutation("0"))]}"#)?.field == "mutations[0].mutation_id")
        #expect(issue(#"{"schema_version": 1, "mutations": [\#(Self.mutation("0"))]}"#)?.code == .outOfRange)
        #expect(issue(#"{"schema_version": 1, "mutations": [\#(Self.mutation("-5"))]}"#)?.code == .outOfRange)
        let down = issue(#"{"schema_version": 1, "mutations": [\#(Self.mutation("5")), \#(Self.mutation("3"))]}"#)
        #expect(down?.field == "mutations[1].mutation_id")
        #expect(down?.code == .outOfRange)
        #expect(issue(#"{"schema_version": 1, "mutations": [\#(Self.mutation("5")), \#(Self.mutation("5"))]}"#)?.code == .outOfRange)
        for bad in [#""1""#, "1.5", "1.0", "true", "null", "[]"] {
            let found = issue(#"{"schema_version": 1, "mutations": [\#(Self.mutation(bad))]}"#)
            #expect(found?.field == "mutations[0].mutation_id", "\(bad)")
            #expect(found?.code == (bad == "null" ? .missingField : .invalidType), "\(bad)")
        }
    }

    @Test("shape errors name their field; entity, op and hlc of other types stay per-mutation problems")
    func shapes() {
        #expect(issue("[]")?.code == .invalidType)
        #expect(issue(#"{"mutations": []}"#)?.field == "schema_version")
        #expect(issue(#"{"schema_version": "1", "mutations": []}"#)?.code == .invalidType)
        #expect(issue(#"{"schema_version": 1}"#)?.code == .missingField)
        #expect(issue(#"{"schema_version": 1, "mutations": {}}"#)?.code == .invalidType)
        #expect(issue(#"{"schema_version": 1, "mutations": [1]}"#)?.field == "mutations[0]")
        #expect(issue(#"{"schema_version": 1, "mutations": [{"mutation_id": 1, "id": "nope"}]}"#)?.field == "mutations[0].id")
        #expect(
            issue(#"{"schema_version": 1, "mutations": [\#(Self.mutation("1", extra: #", "base_version": -1"#))]}"#)?.code == .outOfRange)
        #expect(
            issue(#"{"schema_version": 1, "mutations": [\#(Self.mutation("1", extra: #", "base_version": "2""#))]}"#)?.code == .invalidType)
        let lenient =
            #"{"schema_version": 1, "mutations": [{"mutation_id": 1, "id": "8F14E45F-CEEA-467F-A0E6-0B3A1F6E7D11", "entity": 42, "op": null, "fields": {"a": 1}}]}"#
        guard case .success(let request)? = decode(lenient) else {
            Issue.record("refused")
            return
        }
        #expect(request.mutations[0].rawEntity == "42")
        #expect(request.mutations[0].rawOp == "null")
        #expect(request.mutations[0].rawHLC == "")
    }
}
