import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryModels
import RunDiarySync

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Log a run, a pain entry or an exercise (offline too; `sync` sends it).",
        subcommands: [LogRunCommand.self, LogPainCommand.self, LogExerciseCommand.self])
}

/// Saves a new record and says so; shared by the `log` commands.
func logged<Record: DiaryRecord>(_ record: Record, in engine: SyncEngine, options: DiaryOptions, summary: String) async throws {
    try await engine.save(record)
    let pending = try await engine.status().pendingCount
    guard let saved = try await engine.record(id: record.id) else { throw CommandFailure("the record was not saved") }
    if options.json {
        try printJSON(RecordOutput(saved))
    } else {
        print("Logged \(Record.entity.rawValue.replacingOccurrences(of: "_", with: " ")) \(record.id.short): \(summary)")
        print("\(edits(pending)) waiting to sync.")
    }
}

struct LogRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Log a run.",
        discussion: "  rundiary-client log run --distance 5k --time 28:30 --surface treadmill --incline 1 --cadence 168 --rpe 6")

    @OptionGroup var diary: DiaryOptions
    @Option(help: "Distance: 5k, 10.5km, 800m, 3mi (a bare number is kilometres).") var distance: String?
    @Option(help: "Elapsed time: 28:30, 1:02:03, 45m.") var time: String
    @Option(help: "When it started: 2026-11-26 07:30, 07:30 (today), or an ISO 8601 time (default: now).") var at: String?
    @Option(help: "road, trail, track, treadmill, grass or mixed.") var surface: String?
    @Option(help: "Treadmill incline in percent.") var incline: Double?
    @Option(help: "Average cadence in steps per minute.") var cadence: Int?
    @Option(help: "Effort on the Borg CR10 scale, 0–10.") var rpe: Double?
    @Option(help: "Shoes, by name or id.") var shoe: String?
    @Option(help: "Moving time, as --time.") var moving: String?
    @Option(help: "Average heart rate.") var heartRate: Int?
    @Option(help: "How it felt, 1 (awful) to 5 (great).") var feel: Int?
    @Option var title: String?
    @Option var notes: String?
    @Option(help: "What you or someone else noticed about your form.") var formNotes: String?

    func run() async throws {
        let engine = try diary.openEngine()
        guard let elapsed = Quantities.seconds(time) else {
            throw CommandFailure("--time must be a duration such as 28:30", exitCode: CommandFailure.usage)
        }
        var run = Run(startedAt: try at.map(timestamp) ?? LocalTime.now(), elapsedSeconds: elapsed)
        if let distance {
            guard let meters = Quantities.meters(distance) else {
                throw CommandFailure("--distance must be a distance such as 5k", exitCode: CommandFailure.usage)
            }
            run.distanceMeters = meters
        }
        if let surface {
            run.surface = Surface(rawValue: FieldInput.code(surface))
            if run.surface == .treadmill { run.isIndoor = true }
        }
        if let moving {
            guard let seconds = Quantities.seconds(moving) else {
                throw CommandFailure("--moving must be a duration such as 27:45", exitCode: CommandFailure.usage)
            }
            run.movingSeconds = seconds
        }
        run.timeZone = TimeZone.current.identifier
        run.inclinePercent = incline
        run.averageCadence = cadence
        run.rpe = rpe
        run.averageHeartRate = heartRate
        run.feel = feel
        run.title = title
        run.notes = notes
        run.formNotes = formNotes
        if let shoe { run.gearID = try await RecordFinder(diary: engine).find(shoe, of: .gear).id }

        var summary = [Quantities.clock(elapsed)]
        if let meters = run.distanceMeters {
            summary = ["\(Quantities.kilometres(meters)) in \(Quantities.clock(elapsed))"]
            if let pace = Quantities.pace(seconds: elapsed, meters: meters) { summary.append(pace) }
        }
        if let surface = run.surface { summary.append(surface.rawValue) }
        try await logged(run, in: engine, options: diary, summary: summary.joined(separator: ", "))
    }
}

/// A time option's value, or a usage error naming the forms it takes.
func timestamp(_ text: String) throws -> Timestamp {
    guard let stamp = LocalTime.timestamp(text) else {
        throw CommandFailure("--at must be a time such as 2026-11-26 07:30 or 07:30", exitCode: CommandFailure.usage)
    }
    return stamp
}

struct LogPainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pain", abstract: "Log pain: where, which side, how bad (0–10), and when relative to running.",
        discussion: "  rundiary-client log pain --site hip --side left --severity 4 --timing after-run --run last --quality aching")

    @OptionGroup var diary: DiaryOptions
    @Option(help: "hip, groin, thigh, knee, shin, calf, achilles, ankle, foot, low-back or other.") var site: String
    @Option(help: "left, right, both or none.") var side: String
    @Option(help: "0 (none) to 10 (worst).") var severity: Int
    @Option(help: "before-run, during-run, after-run, later-same-day, next-morning or at-rest.") var timing: String
    @Option(help: "The run it followed: last, or an id.") var run: String?
    @Option(help: "What it felt like (repeatable or comma-separated): aching, sharp, stabbing, burning, …")
    var quality: [String] = []
    @Option(help: "none, reduced-volume, reduced-performance or stopped.") var impact: String?
    @Option(help: "When (default: now).") var at: String?
    @Option var notes: String?

    func run() async throws {
        let engine = try diary.openEngine()
        var entry = PainEntry(
            recordedAt: try at.map(timestamp) ?? LocalTime.now(), bodySite: BodySite(rawValue: FieldInput.code(site)),
            side: Side(rawValue: FieldInput.code(side)), severity: severity, timing: PainTiming(rawValue: FieldInput.code(timing)))
        let qualities = quality.flatMap { $0.split(separator: ",") }.map { PainQuality(rawValue: FieldInput.code(String($0))) }
        entry.qualities = qualities.isEmpty ? nil : qualities
        entry.activityImpact = impact.map { ActivityImpact(rawValue: FieldInput.code($0)) }
        entry.notes = notes
        if let run { entry.runID = try await RecordFinder(diary: engine).find(run, of: .run).id }
        try await logged(
            entry, in: engine, options: diary,
            summary: "\(words(entry.bodySite.rawValue)) \(words(entry.side.rawValue)) \(severity)/10, \(words(entry.timing.rawValue))")
    }
}

struct LogExerciseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise", abstract: "Log doing (or skipping) an exercise of a plan.",
        discussion: "  rundiary-client log exercise --plan-item clamshell --status done --sets 3 --reps 12 --pain 2")

    @OptionGroup var diary: DiaryOptions
    @Option(help: "The plan item: its exercise name or id.") var planItem: String
    @Option(help: "done, partial or skipped.") var status: String
    @Option var sets: Int?
    @Option(help: "Repetitions in all.") var reps: Int?
    @Option var load: Double?
    @Option(help: "Pain during the exercise, 0–10.") var pain: Int?
    @Option(help: "When (default: now).") var at: String?
    @Option var notes: String?

    func run() async throws {
        let engine = try diary.openEngine()
        let item = try await RecordFinder(diary: engine).find(planItem, of: .planItem)
        var log = ExerciseLog(
            planItemID: item.id, performedAt: try at.map(timestamp) ?? LocalTime.now(),
            status: ExerciseStatus(rawValue: FieldInput.code(status)))
        log.setsDone = sets
        log.repsDone = reps
        log.load = load
        log.painDuring = pain
        log.notes = notes
        let exercise = item.fields["exercise"]?.stringValue ?? item.id.short
        try await logged(log, in: engine, options: diary, summary: "\(exercise), \(words(log.status.rawValue))")
    }
}
