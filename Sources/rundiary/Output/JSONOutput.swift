import Foundation

/// Prints `value` as JSON on stdout: snake_case keys, ISO 8601 dates, sorted keys, so that scripts can rely on it.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Writes one line on stderr: notes for the operator that must not mix with a command's output.
func printNote(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
