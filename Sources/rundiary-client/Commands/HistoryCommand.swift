import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryModels
import RunDiarySync

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Runs of the last days with the pain logged around them, as a table.")

    @OptionGroup var diary: DiaryOptions
    @Option(help: "How many days back, today included.") var days: Int = 14

    struct Entry: Encodable {
        let run: RecordOutput
        let pain: [RecordOutput]
    }

    func run() async throws {
        guard days >= 1 else { throw CommandFailure("--days must be at least 1", exitCode: CommandFailure.usage) }
        let engine = try diary.openEngine()
        let first = LocalTime.today(minus: days - 1)
        let runs = try await engine.records(.run).compactMap { record -> (LocalRecord, Run)? in
            guard let run = try? record.decode(as: Run.self), LocalTime.day(of: run.startedAt) >= first else { return nil }
            return (record, run)
        }.sorted { $0.1.startedAt < $1.1.startedAt }
        let pain = try await engine.records(.painEntry).compactMap { record -> (LocalRecord, PainEntry)? in
            (try? record.decode(as: PainEntry.self)).map { (record, $0) }
        }

        if diary.json {
            try printJSON(
                runs.map { record, run in
                    Entry(run: RecordOutput(record), pain: pain.filter { $0.1.runID == run.id }.map { RecordOutput($0.0) })
                })
            return
        }
        var table = Columns("date", "distance", "time", "pace", "surface", "rpe", "pain", "id")
        for (record, run) in runs {
            let after = pain.filter { $0.1.runID == run.id }.sorted { $0.1.recordedAt < $1.1.recordedAt }
            let painText = after.map { _, entry in
                "\(words(entry.bodySite.rawValue)) \(entry.side.rawValue.prefix(1).uppercased()) \(entry.severity) \(words(entry.timing.rawValue))"
            }.joined(separator: "; ")
            table.add(
                LocalTime.display(run.startedAt), run.distanceMeters.map(Quantities.kilometres) ?? "-",
                Quantities.clock(run.elapsedSeconds),
                run.distanceMeters.flatMap { Quantities.pace(seconds: run.elapsedSeconds, meters: $0) } ?? "-",
                words(run.surface?.rawValue), run.rpe.map { String(format: "%g", $0) } ?? "-", painText.isEmpty ? "-" : painText,
                record.id.short + (record.hasPendingChanges ? " *" : ""))
        }
        if table.isEmpty {
            print("No runs in the last \(days) days.")
        } else {
            table.print()
            if runs.contains(where: { $0.0.hasPendingChanges }) { print("* not yet synced") }
        }
    }
}

struct TodayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "today", abstract: "What the active plans schedule today, and what is done.")

    @OptionGroup var diary: DiaryOptions

    struct Item: Encodable {
        let plan: String
        let exercise: String
        let dose: String
        let schedule: String
        let doneToday: [String]
        let planItemID: String

        enum CodingKeys: String, CodingKey {
            case plan, exercise, dose, schedule
            case doneToday = "done_today"
            case planItemID = "plan_item_id"
        }
    }

    func run() async throws {
        let engine = try diary.openEngine()
        let today = LocalTime.today()
        let weekday = today.weekday
        let plans = try await engine.records(Plan.self).filter { plan in
            (plan.status == nil || plan.status == .active) && (plan.startDate.map { $0 <= today } ?? true)
                && (plan.endDate.map { today <= $0 } ?? true)
        }
        let items = try await engine.records(PlanItem.self)
        let logs = try await engine.records(ExerciseLog.self).filter { LocalTime.day(of: $0.performedAt) == today }
        var due: [Item] = []
        for plan in plans.sorted(by: { $0.title < $1.title }) {
            for item in items.filter({ $0.planID == plan.id }).sorted(by: { ($0.position ?? 0) < ($1.position ?? 0) }) {
                let scheduled = item.daysOfWeek?.contains(weekday) ?? (item.timesPerWeek != nil)
                guard scheduled else { continue }
                let schedule = PlansCommand.schedule(item)
                due.append(
                    Item(
                        plan: plan.title, exercise: item.exercise, dose: PlansCommand.dose(item), schedule: schedule,
                        doneToday: logs.filter { $0.planItemID == item.id }.map(\.status.rawValue),
                        planItemID: item.id.uuidString.lowercased()))
            }
        }
        if diary.json {
            try printJSON(due)
            return
        }
        guard !due.isEmpty else {
            print("Nothing scheduled today.")
            return
        }
        var table = Columns("plan", "exercise", "dose", "schedule", "today")
        for item in due {
            table.add(
                item.plan, item.exercise, item.dose, item.schedule,
                item.doneToday.isEmpty ? "to do" : item.doneToday.joined(separator: ", "))
        }
        table.print()
    }
}

struct PlansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans", abstract: "Training plans and rehab programmes with their exercises.")

    @OptionGroup var diary: DiaryOptions

    func run() async throws {
        let engine = try diary.openEngine()
        let plans = try await engine.records(.plan)
        let items = try await engine.records(.planItem)
        if diary.json {
            try printJSON(plans.map(RecordOutput.init) + items.map(RecordOutput.init))
            return
        }
        guard !plans.isEmpty else {
            print("No plans yet. Add one: rundiary-client add plan --set kind=rehab --set title=\"Hip rehab\"")
            return
        }
        for record in plans {
            guard let plan = try? record.decode(as: Plan.self) else { continue }
            let dates = [plan.startDate?.description, plan.endDate?.description].compactMap { $0 }.joined(separator: " – ")
            let author = plan.authorName.map { " by \($0)" } ?? ""
            print(
                "\(plan.title) (\(plan.kind.rawValue), \(plan.status?.rawValue ?? "no status")\(dates.isEmpty ? "" : ", " + dates))\(author)  \(plan.id.short)"
            )
            var table = Columns("  exercise", "kind", "dose", "schedule", "id")
            for item in items.compactMap({ try? $0.decode(as: PlanItem.self) }).filter({ $0.planID == plan.id })
                .sorted(by: { ($0.position ?? 0) < ($1.position ?? 0) })
            {
                let schedule = Self.schedule(item)
                table.add("  " + item.exercise, words(item.kind.rawValue), Self.dose(item), schedule, item.id.short)
            }
            if !table.isEmpty { table.print() }
        }
    }

    /// `mon,wed,fri` or `3× a week`.
    static func schedule(_ item: PlanItem) -> String {
        item.daysOfWeek.map { $0.map(\.rawValue).joined(separator: ",") } ?? item.timesPerWeek.map { "\($0)× a week" } ?? "-"
    }

    /// `3 × 15`, `30 s hold`, with load.
    static func dose(_ item: PlanItem) -> String {
        var parts: [String] = []
        if let sets = item.sets, let reps = item.reps {
            parts.append("\(sets) × \(reps)")
        } else if let reps = item.reps {
            parts.append("\(reps) reps")
        }
        if let hold = item.holdSeconds { parts.append("\(hold) s hold") }
        if let load = item.load {
            parts.append(String(format: "%g", load) + (item.loadUnit.map { " \($0.rawValue)" } ?? ""))
        } else if let unit = item.loadUnit {
            parts.append(unit.rawValue)
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }
}

struct ShoesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shoes", abstract: "Shoes (gear) with the distance run in them.")

    @OptionGroup var diary: DiaryOptions

    struct Shoe: Encodable {
        let id: String
        let name: String
        let distanceM: Double
        let limitM: Double?
        let retiredOn: String?

        enum CodingKeys: String, CodingKey {
            case id, name
            case distanceM = "distance_m"
            case limitM = "limit_distance_m"
            case retiredOn = "retired_on"
        }
    }

    func run() async throws {
        let engine = try diary.openEngine()
        let runs = try await engine.records(Run.self)
        let shoes = try await engine.records(Gear.self).sorted { $0.name < $1.name }.map { gear in
            Shoe(
                id: gear.id.uuidString.lowercased(), name: gear.name,
                distanceM: (gear.initialDistanceMeters ?? 0)
                    + runs.filter { $0.gearID == gear.id }.compactMap(\.distanceMeters).reduce(0, +),
                limitM: gear.limitDistanceMeters, retiredOn: gear.retiredOn?.description)
        }
        if diary.json {
            try printJSON(shoes)
            return
        }
        guard !shoes.isEmpty else {
            print("No shoes yet. Add a pair: rundiary-client add gear --set name=\"Pegasus 40\" --set limit_distance_m=700000")
            return
        }
        var table = Columns("name", "distance", "limit", "retired", "id")
        for shoe in shoes {
            table.add(
                shoe.name, Quantities.kilometres(shoe.distanceM), shoe.limitM.map(Quantities.kilometres) ?? "-", shoe.retiredOn ?? "-",
                String(shoe.id.prefix(8)))
        }
        table.print()
    }
}
