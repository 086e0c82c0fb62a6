import Foundation
import RunDiaryTestSupport

/// Validates JSON against the OpenAPI document with Python's `jsonschema` (and the document itself with
/// `openapi-spec-validator`), both in the virtualenv `deploy/dev test` makes.
enum SchemaCheck {
    /// The repository's OpenAPI document.
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/RunDiaryServer/OpenAPI/openapi.json")

    /// Runs a Python snippet with the document path as argv[1] and `payload` as argv[2]; returns its exit status and
    /// output.
    static func python(_ script: String, payload: Data = Data()) async throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rd-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let payloadURL = directory.appendingPathComponent("payload.json")
        try payload.write(to: payloadURL)
        let result = try await TestPython.run(["-c", script, documentURL.path, payloadURL.path])
        return (result.status, String(decoding: result.output, as: UTF8.self) + result.errors)
    }

    /// Checks `body` against `#/components/schemas/<name>`; returns the validator's complaint, or nil.
    static func violations(of body: Data, schema name: String) async throws -> String? {
        let script = """
            import json, sys, jsonschema
            document = json.load(open(sys.argv[1]))
            instance = json.load(open(sys.argv[2]))
            schema = {"$ref": "#/components/schemas/\(name)", "components": document["components"]}
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(instance))
            for error in errors:
                print(list(error.absolute_path), error.message)
            sys.exit(1 if errors else 0)
            """
        let (status, output) = try await python(script, payload: body)
        return status == 0 ? nil : output
    }
}
