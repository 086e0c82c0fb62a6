import CLibPQ
import Foundation

extension PostgresConnection {
    /// Connects with libpq, blocking the calling thread (a thread-pool thread).
    static func openConnection(_ connectionString: String, applicationName: String) throws -> OpaquePointer {
        let password = try password(in: connectionString)
        // Earlier keywords are defaults: the expanded connection string (dbname, last) overrides them.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = ["10", applicationName, connectionString]
        let cKeywords = keywords.map { strdup($0) }
        let cValues = values.map { strdup($0) }
        defer {
            cKeywords.forEach { free($0) }
            cValues.forEach { free($0) }
        }
        let keywordPointers = cKeywords.map { UnsafePointer($0) } + [nil]
        let valuePointers = cValues.map { UnsafePointer($0) } + [nil]
        guard let connection = PQconnectdbParams(keywordPointers, valuePointers, 1) else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = redact(String(cString: PQerrorMessage(connection)), password: password)
            let needsPassword = PQconnectionNeedsPassword(connection) != 0
            PQfinish(connection)
            throw connectionError(message, needsPassword: needsPassword)
        }
        // Server notices (e.g. "relation already exists, skipping") would otherwise be printed on stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        return connection
    }

    /// The password a connection string carries, so that it can be scrubbed from messages.
    private static func password(in connectionString: String) throws -> String? {
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            var message = "invalid connection string"
            if let errorMessage {
                message += ": " + String(cString: errorMessage).trimmingCharacters(in: .whitespacesAndNewlines)
                PQfreemem(errorMessage)
            }
            // The string did not parse, so its password cannot be located: report no fragment of it.
            throw PostgresError(code: .invalidConfiguration, message: redactQuoted(message))
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                return String(cString: value)
            }
            option += 1
        }
        return nil
    }

    private static func redact(_ message: String, password: String?) -> String {
        var message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if let password, !password.isEmpty {
            message = message.replacingOccurrences(of: password, with: "********")
        }
        return message
    }

    /// Replaces every double-quoted fragment, the form in which libpq quotes values it could not parse.
    private static func redactQuoted(_ message: String) -> String {
        var result = ""
        var inQuotes = false
        for character in message {
            if character == "\"" {
                inQuotes.toggle()
                result.append(inQuotes ? "\"…" : "\"")
            } else if !inQuotes {
                result.append(character)
            }
        }
        return result
    }

    private static func connectionError(_ message: String, needsPassword: Bool) -> PostgresError {
        let lowered = message.lowercased()
        if needsPassword || lowered.contains("authentication failed") || lowered.contains("no password supplied")
            || lowered.contains("role") && lowered.contains("does not exist")
        {
            return PostgresError(code: .authenticationFailed, message: message, sqlState: "28P01")
        }
        if lowered.contains("database") && lowered.contains("does not exist") {
            return PostgresError(code: .databaseMissing, message: message, sqlState: "3D000")
        }
        return PostgresError(code: .connectionFailed, message: message)
    }
}
