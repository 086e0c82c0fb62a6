import Foundation
import RunDiaryModels

/// Makes valid diary records of every synced kind a runner writes most: gear, runs (some in that gear), pain
/// entries (some after those runs), rehab plans and their items.
enum DiaryRecordFactory {
    /// Every generated timestamp is written at UTC+01:00.
    static let utcOffsetSeconds = 3600

    /// `count` new records in a fixed mix per 20: 1 gear, 1 plan, 8 runs (half in that gear), 6 pain entries (half
    /// after the batch's latest run) and 4 plan items of that plan. References point only to earlier records of the
    /// same batch, so every mutation is applied.
    static func mixedBatch(count: Int, seed: Int) -> [GeneratedRecord] {
        var records: [GeneratedRecord] = []
        records.reserveCapacity(count)
        var gear: UUID?
        var plan: UUID?
        var run: UUID?
        for index in 0..<count {
            let n = seed &+ index
            let record: GeneratedRecord
            switch index % 20 {
            case 0:
                record = self.gear(n)
                gear = record.id
            case 1:
                record = self.plan(n)
                plan = record.id
            case 2...9:
                record = self.run(n, gear: index % 2 == 0 ? gear : nil)
                run = record.id
            case 10...15:
                record = painEntry(n, after: index % 2 == 0 ? run : nil)
            default:
                guard let plan else {
                    record = painEntry(n, after: nil)
                    break
                }
                record = planItem(n, plan: plan)
            }
            records.append(record)
        }
        return records
    }

    static func gear(_ n: Int) -> GeneratedRecord {
        GeneratedRecord(
            entity: .gear, id: UUID(),
            fields: [
                .init(name: "name", json: text("Trainer \(n)")),
                .init(name: "brand", json: text("Brooks")),
                .init(name: "model", json: text("Ghost \(n % 16)")),
                .init(name: "started_on", json: text(date(n))),
                .init(name: "initial_distance_m", json: "0"),
                .init(name: "limit_distance_m", json: "800000"),
            ])
    }

    static func plan(_ n: Int) -> GeneratedRecord {
        GeneratedRecord(
            entity: .plan, id: UUID(),
            fields: [
                .init(name: "kind", json: text("rehab")),
                .init(name: "title", json: text("Hip rehab block \(n)")),
                .init(name: "goal", json: text("Run 10 km pain-free on the treadmill with a shorter stride")),
                .init(name: "author_role", json: text("physical_therapist")),
                .init(name: "author_name", json: text("A. Physio")),
                .init(name: "status", json: text("active")),
                .init(name: "start_date", json: text("2026-01-05")),
                .init(name: "end_date", json: text("2026-03-30")),
                .init(name: "pain_ceiling", json: "4"),
            ])
    }

    static func run(_ n: Int, gear: UUID?) -> GeneratedRecord {
        var fields: [GeneratedRecord.Field] = [
            .init(name: "started_at", json: text(timestamp(n))),
            .init(name: "time_zone", json: text("Europe/Berlin")),
            .init(name: "surface", json: text("treadmill")),
            .init(name: "is_indoor", json: "true"),
            .init(name: "distance_m", json: String(5000 + n % 5000)),
            .init(name: "elapsed_s", json: String(1800 + n % 1200)),
            .init(name: "moving_s", json: String(1750 + n % 1200)),
            .init(name: "incline_pct", json: "1"),
            .init(name: "avg_cadence_spm", json: String(160 + n % 20)),
            .init(name: "avg_step_length_mm", json: String(1000 + n % 200)),
            .init(name: "rpe", json: String(3 + n % 6)),
            .init(name: "title", json: text("Easy treadmill run")),
            .init(name: "form_notes", json: text("Stride looked long at 11 km/h; cadence cue helped")),
        ]
        if let gear { fields.append(.init(name: "gear_id", json: text(gear.lowercased))) }
        return GeneratedRecord(entity: .run, id: UUID(), fields: fields)
    }

    static func painEntry(_ n: Int, after run: UUID?) -> GeneratedRecord {
        var fields: [GeneratedRecord.Field] = [
            .init(name: "recorded_at", json: text(timestamp(n))),
            .init(name: "body_site", json: text("hip")),
            .init(name: "side", json: text("right")),
            .init(name: "severity", json: String(n % 8)),
            .init(name: "timing", json: text(n % 2 == 0 ? "next_morning" : "during_run")),
            .init(name: "qualities", json: "[\"aching\",\"stiffness\"]"),
            .init(name: "activity_impact", json: text("reduced_volume")),
            .init(name: "notes", json: text("Settled after the warm-up")),
        ]
        if let run { fields.append(.init(name: "run_id", json: text(run.lowercased))) }
        return GeneratedRecord(entity: .painEntry, id: UUID(), fields: fields)
    }

    static func planItem(_ n: Int, plan: UUID) -> GeneratedRecord {
        GeneratedRecord(
            entity: .planItem, id: UUID(),
            fields: [
                .init(name: "plan_id", json: text(plan.lowercased)),
                .init(name: "kind", json: text("strength")),
                .init(name: "exercise", json: text("Single-leg squat")),
                .init(name: "instructions", json: text("Knee over the second toe; slow on the way down")),
                .init(name: "sets", json: "3"),
                .init(name: "reps", json: "12"),
                .init(name: "days_of_week", json: "[\"mon\",\"wed\",\"fri\"]"),
                .init(name: "position", json: String(n % 100)),
            ])
    }

    private static func text(_ value: String) -> String { "\"" + value + "\"" }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    private static func date(_ n: Int) -> String { "2026-\(two(1 + n % 9))-\(two(1 + n % 28))" }

    private static func timestamp(_ n: Int) -> String {
        "\(date(n))T\(two(6 + n % 12)):\(two(n % 60)):00+01:00"
    }
}
