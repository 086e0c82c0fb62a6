import Foundation
import Postgres
import RunDiaryModels

/// A known twelve-week diary of a runner with left hip pain that began on the treadmill, planted with SQL.
///
/// Weeks start on Monday 2026-01-05; every timestamp is written at UTC+01:00. The records are kept here so that
/// tests compute the figures they expect from the seed rather than hard-coding them.
public struct SeededDiary: Sendable {
    public static let offset: Int32 = 3600
    public static let firstDay = LocalDate(year: 2026, month: 1, day: 5)!
    public static let weeks = 12

    public var runs: [Run] = []
    public var pain: [PainEntry] = []
    public var plans: [Plan] = []
    public var items: [PlanItem] = []
    public var logs: [ExerciseLog] = []
    public var gear: [Gear] = []
    /// A run that was deleted (a tombstone): it must never be exported.
    public var deletedRunID = UUID()

    public init(
        runs: [Run] = [], pain: [PainEntry] = [], plans: [Plan] = [], items: [PlanItem] = [], logs: [ExerciseLog] = [],
        gear: [Gear] = []
    ) {
        self.runs = runs
        self.pain = pain
        self.plans = plans
        self.items = items
        self.logs = logs
        self.gear = gear
    }

    /// The day number of a timestamp: 0 on the first Monday, in the seed's offset.
    public static func day(of timestamp: Timestamp) -> Int {
        Int((timestamp.secondsSinceEpoch - at(day: 0, hour: 0).secondsSinceEpoch) / 86_400)
    }

    /// Text with every character HTML and CSV must handle.
    public static let trickyText = "Hip \"clicks\", <b>bold</b> & <script>alert(1)</script>\nsecond line"

    /// The local timestamp `hour:minute` on day `day` (0 = the first Monday).
    public static func at(day: Int, hour: Int, minute: Int = 0) -> Timestamp {
        let start = Calendar.utc.date(from: DateComponents(year: 2026, month: 1, day: 5))!
        let local = start.addingTimeInterval(TimeInterval(day * 86_400 + hour * 3600 + minute * 60))
        return Timestamp(local.addingTimeInterval(-TimeInterval(offset)), utcOffsetSeconds: offset)
    }

    public static func date(day: Int) -> LocalDate {
        let start = Calendar.utc.date(from: DateComponents(year: 2026, month: 1, day: 5))!
        let parts = Calendar.utc.dateComponents([.year, .month, .day], from: start.addingTimeInterval(TimeInterval(day * 86_400)))
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Builds the diary (deterministic: the same seed every time) and plants it for `userID`.
    public static func plant(userID: UUID, in database: PostgresClient) async throws -> SeededDiary {
        var diary = SeededDiary()
        var shoeA = Gear(name: "Pegasus 40")
        shoeA.brand = "Nike"
        shoeA.initialDistanceMeters = 120_000
        shoeA.limitDistanceMeters = 700_000
        shoeA.startedOn = LocalDate(year: 2025, month: 10, day: 1)
        var shoeB = Gear(name: "Trail shoe")
        shoeB.limitDistanceMeters = 800_000
        diary.gear = [shoeA, shoeB]

        var training = Plan(kind: .training, title: "Base building")
        training.status = .active
        training.authorRole = .runner
        training.startDate = date(day: 0)
        training.endDate = date(day: 83)
        var rehab = Plan(kind: .rehab, title: "Hip rehab")
        rehab.status = .active
        rehab.authorRole = .physicalTherapist
        rehab.authorName = "Dr. Lee, PT"
        rehab.goal = "Pain-free running, cadence up 5 %"
        rehab.startDate = date(day: 14)
        rehab.endDate = date(day: 83)
        rehab.painCeiling = 4
        diary.plans = [training, rehab]

        var easyRun = PlanItem(planID: training.id, kind: .runSession, exercise: "Easy run")
        easyRun.timesPerWeek = 3
        var clamshell = PlanItem(planID: rehab.id, kind: .strength, exercise: "Clamshell")
        clamshell.sets = 3
        clamshell.reps = 15
        clamshell.loadUnit = .band
        clamshell.daysOfWeek = [.monday, .wednesday, .friday]
        clamshell.position = 1
        var squat = PlanItem(planID: rehab.id, kind: .strength, exercise: "Single-leg squat")
        squat.sets = 3
        squat.reps = 8
        squat.timesPerWeek = 2
        squat.position = 2
        var stretch = PlanItem(planID: rehab.id, kind: .stretch, exercise: "Hip flexor stretch")
        stretch.holdSeconds = 30
        stretch.daysOfWeek = [.tuesday, .thursday]
        stretch.position = 3
        diary.items = [easyRun, clamshell, squat, stretch]

        for week in 0..<weeks {
            for (slot, weekday) in [0, 2, 5].enumerated() {
                let day = week * 7 + weekday
                let treadmill = week < 6 && slot < 2
                var run = Run(startedAt: at(day: day, hour: 7, minute: 30), elapsedSeconds: 1800 + week * 60 + slot * 300)
                run.timeZone = "Europe/Berlin"
                run.surface = treadmill ? .treadmill : (slot == 2 ? .trail : .road)
                run.isIndoor = treadmill
                run.distanceMeters = 5000 + Double(week * 250 + slot * 1000) + 0.5
                run.movingSeconds = run.elapsedSeconds - 60
                run.averageCadence = treadmill ? 162 + week : 170 + week
                run.averageStepLengthMillimeters = treadmill ? 1090 - week * 5 : 1000 - week * 3
                run.rpe = Double(3 + (week + slot) % 5) + 0.5
                run.gearID = slot == 2 ? shoeB.id : shoeA.id
                run.planItemID = easyRun.id
                if week == 2 && slot == 0 {
                    run.formNotes = trickyText
                    run.title = "Treadmill, 1 % incline"
                    run.inclinePercent = 1
                } else if slot == 0 {
                    run.formNotes = "Week \(week + 1): overstriding less, cadence \(run.averageCadence!)"
                }
                diary.runs.append(run)

                guard slot < 2 else { continue }
                // During the run: worse on the treadmill, better as rehab goes on.
                var during = PainEntry(
                    recordedAt: at(day: day, hour: 7, minute: 50), bodySite: .hip, side: .left,
                    severity: max(0, (treadmill ? 6 : 3) - week / 4 + (week + slot) % 2), timing: .duringRun)
                during.qualities = treadmill ? [.aching, .stabbing] : [.aching]
                during.activityImpact = during.severity >= 6 ? .reducedPerformance : .noImpact
                during.runID = run.id
                if week == 2 && slot == 0 { during.notes = trickyText }
                diary.pain.append(during)
                // The next morning.
                var morning = PainEntry(
                    recordedAt: at(day: day + 1, hour: 6, minute: 45), bodySite: .hip, side: .left,
                    severity: max(0, (treadmill ? 4 : 2) - week / 5 + (week * 3 + slot) % 3 - 1), timing: .nextMorning)
                morning.qualities = [.throbbing]
                morning.runID = run.id
                diary.pain.append(morning)
            }
            if week % 3 == 1 {
                var knee = PainEntry(
                    recordedAt: at(day: week * 7 + 6, hour: 18), bodySite: .knee, side: .right, severity: 2, timing: .atRest)
                knee.qualities = [.burning, .cramping]
                knee.notes = "Knee after stairs"
                diary.pain.append(knee)
            }
            // Home exercises from the third week: clamshell on Mon/Wed (Friday skipped in odd weeks), squat once,
            // the stretch on Tuesdays.
            if week >= 2 {
                for (weekday, item, status) in [
                    (0, clamshell, ExerciseStatus.done), (2, clamshell, .done), (4, clamshell, week % 2 == 1 ? .skipped : .done),
                    (3, squat, .partial), (1, stretch, .done),
                ] {
                    var log = ExerciseLog(planItemID: item.id, performedAt: at(day: week * 7 + weekday, hour: 19), status: status)
                    if status != .skipped {
                        log.setsDone = item.sets ?? 1
                        log.repsDone = (item.reps ?? 1) * (item.sets ?? 1)
                        log.painDuring = week < 6 ? 2 : 1
                    }
                    diary.logs.append(log)
                }
            }
        }
        try await diary.insert(userID: userID, into: database)
        return diary
    }

    public func insert(userID: UUID, into database: PostgresClient) async throws {
        var version: Int64 = 0
        func next() -> Int64 {
            version += 1
            return version
        }
        for item in gear {
            try await database.execute(
                """
                INSERT INTO gear (user_id, id, version, name, brand, model, started_on, retired_on, initial_distance_m, limit_distance_m)
                VALUES (\(userID), \(item.id), \(next()), \(item.name), \(item.brand), \(item.model), \(item.startedOn?.description)::date,
                        \(item.retiredOn?.description)::date, \(item.initialDistanceMeters), \(item.limitDistanceMeters))
                """)
        }
        for plan in plans {
            try await database.execute(
                """
                INSERT INTO plans (user_id, id, version, kind, title, goal, author_role, author_name, status, start_date, end_date,
                                   pain_ceiling, notes)
                VALUES (\(userID), \(plan.id), \(next()), \(plan.kind.rawValue), \(plan.title), \(plan.goal), \(plan.authorRole?.rawValue),
                        \(plan.authorName), \(plan.status?.rawValue), \(plan.startDate?.description)::date, \(plan.endDate?.description)::date,
                        \(plan.painCeiling), \(plan.notes))
                """)
        }
        for item in items {
            try await database.execute(
                """
                INSERT INTO plan_items (user_id, id, version, plan_id, kind, exercise, instructions, sets, reps, hold_s, load, load_unit,
                                        target_rpe, days_of_week, times_per_week, position)
                VALUES (\(userID), \(item.id), \(next()), \(item.planID), \(item.kind.rawValue), \(item.exercise), \(item.instructions),
                        \(item.sets), \(item.reps), \(item.holdSeconds), \(item.load), \(item.loadUnit?.rawValue), \(item.targetRPE),
                        \(item.daysOfWeek?.map(\.rawValue)), \(item.timesPerWeek), \(item.position))
                """)
        }
        for run in runs {
            try await database.execute(
                """
                INSERT INTO runs (user_id, id, version, started_at, started_at_offset_s, time_zone, surface, is_indoor, distance_m,
                                  elapsed_s, moving_s, incline_pct, avg_cadence_spm, avg_step_length_mm, rpe, gear_id, plan_item_id, title,
                                  notes, form_notes)
                VALUES (\(userID), \(run.id), \(next()), \(run.startedAt.date), \(run.startedAt.utcOffsetSeconds), \(run.timeZone),
                        \(run.surface?.rawValue), \(run.isIndoor), \(run.distanceMeters), \(run.elapsedSeconds), \(run.movingSeconds),
                        \(run.inclinePercent), \(run.averageCadence), \(run.averageStepLengthMillimeters), \(run.rpe), \(run.gearID),
                        \(run.planItemID), \(run.title), \(run.notes), \(run.formNotes))
                """)
        }
        try await database.execute(
            """
            INSERT INTO runs (user_id, id, version, deleted_hlc) VALUES (\(userID), \(deletedRunID), \(next()), '0000000000001-0000-device')
            """)
        for entry in pain {
            try await database.execute(
                """
                INSERT INTO pain_entries (user_id, id, version, recorded_at, recorded_at_offset_s, body_site, side, severity, timing,
                                          qualities, activity_impact, run_id, notes)
                VALUES (\(userID), \(entry.id), \(next()), \(entry.recordedAt.date), \(entry.recordedAt.utcOffsetSeconds),
                        \(entry.bodySite.rawValue), \(entry.side.rawValue), \(entry.severity), \(entry.timing.rawValue),
                        \(entry.qualities?.map(\.rawValue)), \(entry.activityImpact?.rawValue), \(entry.runID), \(entry.notes))
                """)
        }
        for log in logs {
            try await database.execute(
                """
                INSERT INTO exercise_logs (user_id, id, version, plan_item_id, performed_at, performed_at_offset_s, status, sets_done,
                                           reps_done, load, pain_during, notes)
                VALUES (\(userID), \(log.id), \(next()), \(log.planItemID), \(log.performedAt.date), \(log.performedAt.utcOffsetSeconds),
                        \(log.status.rawValue), \(log.setsDone), \(log.repsDone), \(log.load), \(log.painDuring), \(log.notes))
                """)
        }
        try await database.execute("UPDATE users SET version = \(version) WHERE id = \(userID)")
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC.
    public static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
