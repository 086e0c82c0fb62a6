import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryModels
import RunDiarySync

struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share", abstract: "Share links for a physical therapist.", subcommands: [ShareCreateCommand.self])
}

struct ShareCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a link to the last days of the diary (prints the link).",
        discussion: "  rundiary-client share create --days 7 --label \"PT visit\"")

    @OptionGroup var diary: DiaryOptions
    @Option(help: "Share the last days, today included (ignored with --from/--to).") var days: Int = 14
    @Option(help: "First day, YYYY-MM-DD.") var from: String?
    @Option(help: "Last day, YYYY-MM-DD.") var to: String?
    @Option(help: "A label to recognise the link by (default: the days it shares).") var label: String?
    @Option(help: "Hours until the link stops working (server default: a week).") var expiresInHours: Int?

    func run() async throws {
        guard days >= 1 else { throw CommandFailure("--days must be at least 1", exitCode: CommandFailure.usage) }
        let engine = try diary.openEngine()
        let range = try dateRange(from: from, to: to, days: days)
        let body = try JSONEncoder().encode(
            ShareCreateRequest(
                from: range.from.flatMap { LocalDate($0) }, to: range.to.flatMap { LocalDate($0) }, expiresInHours: expiresInHours,
                label: label ?? "Diary \(range.from ?? "from the start") to \(range.to ?? "today")"))
        let response = try await engine.send("POST", "v1/shares", json: body)
        guard response.status == 201 || response.status == 200 else { throw serverRefusal(response, "the server did not create the link") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let created = try? decoder.decode(ShareCreated.self, from: response.body) else {
            throw CommandFailure("the server's answer has no link")
        }
        if diary.json {
            try printJSON(created)
        } else {
            print(created.url)
            printNote(
                "Share link \(created.id.uuidString.lowercased().prefix(8)) for \(range.from ?? "the start") – \(range.to ?? "today"), "
                    + "expires \(created.expiresAt.formatted(.iso8601))."
            )
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Download the diary from the server as a report or data file.",
        discussion: "  rundiary-client export --format html --out report.html --from 2026-11-01")

    @OptionGroup var diary: DiaryOptions
    @Option(help: "html (printable report), fhir (FHIR R4 bundle), csv or zip (all of them).") var format: String
    @Option(help: "The file to write.") var out: String
    @Option(help: "First day, YYYY-MM-DD.") var from: String?
    @Option(help: "Last day, YYYY-MM-DD.") var to: String?

    func run() async throws {
        guard ["html", "fhir", "csv", "zip"].contains(format) else {
            throw CommandFailure("--format must be html, fhir, csv or zip", exitCode: CommandFailure.usage)
        }
        let engine = try diary.openEngine()
        let range = try dateRange(from: from, to: to, days: nil)
        var query = [URLQueryItem(name: "format", value: format)]
        if let from = range.from { query.append(URLQueryItem(name: "from", value: from)) }
        if let to = range.to { query.append(URLQueryItem(name: "to", value: to)) }
        let response = try await engine.send("GET", "v1/export", query: query, timeout: 300)
        guard response.status == 200 else { throw serverRefusal(response, "the server did not export the diary") }
        do {
            try response.body.write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CommandFailure("cannot write \(out): \(error.localizedDescription)")
        }
        if diary.json {
            try printJSON(["file": out, "bytes": String(response.body.count), "format": format])
        } else {
            print("Wrote \(out) (\(response.body.count) bytes).")
        }
        let pending = try await engine.status().pendingCount
        if pending > 0 {
            printNote("\(edits(pending)) made here \(pending == 1 ? "is" : "are") not on the server yet: run `rundiary-client sync` first.")
        }
    }
}

/// `--from`/`--to` checked as dates, or the last `days` days.
func dateRange(from: String?, to: String?, days: Int?) throws -> (from: String?, to: String?) {
    for (name, value) in [("from", from), ("to", to)] {
        if let value, LocalDate(value) == nil {
            throw CommandFailure("--\(name) must be a date YYYY-MM-DD", exitCode: CommandFailure.usage)
        }
    }
    if from != nil || to != nil { return (from, to) }
    guard let days else { return (nil, nil) }
    return (LocalTime.today(minus: days - 1).description, LocalTime.today().description)
}

/// The server's refusal of a request as one line.
func serverRefusal(_ response: TransportResponse, _ what: String) -> CommandFailure {
    let problem = try? JSONDecoder().decode(ProblemDetails.self, from: response.body)
    return CommandFailure("\(what): HTTP \(response.status)\(problem.map { " \($0.code): \($0.detail ?? $0.title)" } ?? "")")
}

/// One line on stderr, beside a command's output.
func printNote(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
