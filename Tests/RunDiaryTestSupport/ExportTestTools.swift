import Foundation

/// Independent readers for what the exports produce: Python's zipfile for archives, HL7's JSON schema and the
/// `fhir.resources` models for FHIR, and an RFC 4180 parser for CSV.
public enum ExportTestTools {
    public struct ToolFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs the test virtualenv's `python -c script args…` and returns its standard output; a non-zero exit throws
    /// with its output.
    public static func python(_ script: String, _ arguments: [String]) async throws -> Data {
        let (status, data, errorText) = try await TestPython.run(["-c", script] + arguments)
        guard status == 0 else {
            throw ToolFailure(description: "python exited with \(status): \(errorText.suffix(3000))")
        }
        return data
    }

    /// Runs a command-line tool from PATH (`pdfinfo`, `pdftotext`) and returns its standard output as text; like
    /// ``python(_:_:)`` it waits on a thread of its own, never on one of the cooperative threads the live servers need.
    public static func tool(_ name: String, _ arguments: [String]) async throws -> String {
        try await OwnThread.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [name] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw ToolFailure(description: "\(name) exited with \(process.terminationStatus)")
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Text with every run of white space (line breaks included) made one space, to find sentences a layout wrapped.
    public static func flattened(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Keeps an output for people to look at (the pictures in docs/exports.md are made from these): written whole
    /// into `.data/artifacts/` of this checkout, which git ignores.
    public static func keepArtifact(_ data: Data, named name: String) throws {
        let folder = TestDatabase.repositoryRoot.appendingPathComponent(".data/artifacts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: folder.appendingPathComponent(name), options: .atomic)
    }

    public static func temporaryFile(_ data: Data, suffix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-\(UUID().uuidString)\(suffix)")
        try data.write(to: url)
        return url
    }

    /// The files of a ZIP archive, read (and CRC-checked) by Python's zipfile.
    public static func unzip(_ data: Data) async throws -> [String: Data] {
        let url = try temporaryFile(data, suffix: ".zip")
        defer { try? FileManager.default.removeItem(at: url) }
        let script = """
            import base64, json, sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as archive:
                bad = archive.testzip()
                if bad is not None:
                    sys.exit("bad CRC in " + bad)
                print(json.dumps({info.filename: base64.b64encode(archive.read(info)).decode() for info in archive.infolist()}))
            """
        let output = try await python(script, [url.path])
        let files = try JSONDecoder().decode([String: String].self, from: output)
        return files.mapValues { Data(base64Encoded: $0)! }
    }

    /// Validates a FHIR bundle against HL7's R4 JSON schema (Draft 6) and the `fhir.resources` R4B models.
    public static func validateFHIR(_ data: Data) async throws {
        guard let schema = ProcessInfo.processInfo.environment["RUNDIARY_FHIR_SCHEMA"], !schema.isEmpty else {
            throw ToolFailure(description: "RUNDIARY_FHIR_SCHEMA is not set; run with deploy/dev test or eval deploy/dev env")
        }
        let url = try temporaryFile(data, suffix: ".json")
        defer { try? FileManager.default.removeItem(at: url) }
        let script = """
            import json, sys, jsonschema
            from fhir.resources.R4B.bundle import Bundle
            schema = json.load(open(sys.argv[1]))
            document = json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft6Validator(schema).iter_errors(document), key=lambda e: list(e.path))
            for error in errors[:20]:
                print(list(error.path), error.message[:300], file=sys.stderr)
            if errors:
                sys.exit(1)
            if hasattr(Bundle, "model_validate"):
                Bundle.model_validate(document)
            else:
                Bundle.parse_obj(document)
            print("ok")
            """
        let output = try await python(script, [schema, url.path])
        guard String(decoding: output, as: UTF8.self).contains("ok") else {
            throw ToolFailure(description: "validator printed no verdict")
        }
    }

    /// Parses RFC 4180 CSV (CRLF records, quoted fields with doubled quotes) into rows of fields.
    public static func parseCSV(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\r\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else if character == "\n" || character == "\r" {
                throw ToolFailure(description: "a bare line break outside quotes: records must end with CRLF")
            } else {
                field.append(character)
            }
        }
        guard row.isEmpty, field.isEmpty, !quoted else {
            throw ToolFailure(description: "the last record does not end with CRLF")
        }
        return rows
    }

    /// CSV rows as dictionaries keyed by the header row.
    public static func records(_ data: Data?) throws -> [[String: String]] {
        guard let data else { throw ToolFailure(description: "missing CSV file") }
        let rows = try parseCSV(String(decoding: data, as: UTF8.self))
        guard let header = rows.first else { return [] }
        return try rows.dropFirst().map { row in
            guard row.count == header.count else { throw ToolFailure(description: "row of \(row.count) fields, header of \(header.count)") }
            return Dictionary(uniqueKeysWithValues: zip(header, row))
        }
    }

    /// The values of `attribute` on every element that has it, in document order (`data-pain-entry="…"`).
    public static func attributeValues(_ attribute: String, in html: String) -> [String] {
        var values: [String] = []
        var rest = html[...]
        let marker = attribute + "=\""
        while let start = rest.range(of: marker) {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            values.append(String(after[..<end]))
            rest = after[end...]
        }
        return values
    }

    /// The text of the element carrying `data-figure="name"` after `anchor` (or anywhere when `anchor` is nil).
    public static func figure(_ name: String, in html: String, after anchor: String? = nil) -> String? {
        var text = html[...]
        if let anchor {
            guard let range = text.range(of: anchor) else { return nil }
            text = text[range.upperBound...]
        }
        guard let start = text.range(of: "data-figure=\"\(name)\">") else { return nil }
        let after = text[start.upperBound...]
        guard let end = after.range(of: "<") else { return nil }
        return String(after[..<end.lowerBound])
    }

    /// `value` with one decimal, as the report prints it.
    public static func oneDecimal(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
