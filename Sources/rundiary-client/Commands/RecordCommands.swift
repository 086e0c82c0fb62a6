import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryModels
import RunDiarySync

/// The entity kinds by what a runner might type.
func entityKind(_ text: String) throws -> EntityKind {
    let aliases: [String: EntityKind] = [
        "pain": .painEntry, "shoe": .gear, "shoes": .gear, "item": .planItem, "exercise": .exerciseLog, "runs": .run,
        "plans": .plan,
    ]
    let code = FieldInput.code(text)
    guard let kind = EntityKind(rawValue: code) ?? aliases[code] else {
        let names = EntityKind.allCases.map(\.rawValue).joined(separator: ", ")
        throw CommandFailure("unknown kind \(text); one of \(names)", exitCode: CommandFailure.usage)
    }
    return kind
}

/// Prints a record after an edit.
func printEdited(_ record: LocalRecord?, verb: String, options: DiaryOptions) throws {
    guard let record else { return }
    if options.json {
        try printJSON(RecordOutput(record))
    } else {
        print("\(verb) \(record.entity.rawValue.replacingOccurrences(of: "_", with: " ")) \(record.id.short).")
    }
}

struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a record of any kind with its fields by wire name.",
        discussion: """
              rundiary-client add gear --set name="Pegasus 40" --set limit_distance_m=700000
              rundiary-client add plan --set kind=rehab --set title="Hip rehab" --set status=active
              rundiary-client add plan_item --set plan_id=<id> --set kind=strength --set exercise=Clamshell \\
                  --set sets=3 --set reps=15 --set days_of_week=mon,wed,fri
            Kinds: run, pain_entry, plan, plan_item, exercise_log, gear. Fields: docs/sync-protocol.md §1.
            """)

    @OptionGroup var diary: DiaryOptions
    @Argument(help: "The kind of record.") var kind: String
    @Option(name: .customLong("set"), help: "name=value; repeat for each field.") var assignments: [String] = []

    func run() async throws {
        let engine = try diary.openEngine()
        let entity = try entityKind(kind)
        var fields: [String: JSONValue] = [:]
        for assignment in assignments {
            let (name, value) = try await FieldInput.parse(assignment, entity: entity, diary: engine)
            fields[name] = value
        }
        let id = UUID()
        try await engine.update(entity, id: id, fields: fields)
        try printEdited(try await engine.record(id: id), verb: "Added", options: diary)
    }
}

struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change fields of a record, by id (or a unique id prefix).",
        discussion: "  rundiary-client edit 3b0f6a8e --set notes=\"Hip tight after 3 km\" --set rpe=7 --clear title")

    @OptionGroup var diary: DiaryOptions
    @Argument(help: "The record's id or a unique prefix of it.") var id: String
    @Option(name: .customLong("set"), help: "name=value; repeat for each field.") var assignments: [String] = []
    @Option(name: .customLong("clear"), help: "A field to clear; repeatable.") var cleared: [String] = []

    func run() async throws {
        let engine = try diary.openEngine()
        let record = try await RecordFinder(diary: engine).find(id)
        var fields: [String: JSONValue] = [:]
        for assignment in assignments {
            let (name, value) = try await FieldInput.parse(assignment, entity: record.entity, diary: engine)
            fields[name] = value
        }
        for name in cleared { fields[FieldInput.code(name)] = .null }
        guard !fields.isEmpty else { throw CommandFailure("nothing to change: give --set or --clear", exitCode: CommandFailure.usage) }
        try await engine.update(record.entity, id: record.id, fields: fields)
        try printEdited(try await engine.record(id: record.id), verb: "Changed", options: diary)
    }
}

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a record for good, by id (or a unique id prefix).")

    @OptionGroup var diary: DiaryOptions
    @Argument(help: "The record's id or a unique prefix of it.") var id: String

    func run() async throws {
        let engine = try diary.openEngine()
        let record = try await RecordFinder(diary: engine).find(id)
        try await engine.delete(record.entity, id: record.id)
        try printEdited(try await engine.record(id: record.id), verb: "Deleted", options: diary)
    }
}
