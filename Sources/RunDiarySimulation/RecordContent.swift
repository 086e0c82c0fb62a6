import Foundation
import RunDiaryModels

/// Valid field values for the simulation's records, drawn from its generator.
///
/// Updates touch fields that no cross-field rule ties to another, so that concurrent edits merge; creates set
/// every required field. The text includes what storage must keep intact: accents, emoji, quotes, newlines.
enum RecordContent {
    private static let words = [
        "hip", "Hüfte", "tight", "🏃", "easy", "tempo", "\"quoted\"", "treadmill", "knee", "après-run", "跑步", "line\nbreak",
        "<b>", "&", "ok", "stiff",
    ]

    static func text(_ random: inout SeededRandom, words count: ClosedRange<Int> = 1...6) -> JSONValue {
        .string((0..<Int.random(in: count, using: &random)).map { _ in words.randomElement(using: &random)! }.joined(separator: " "))
    }

    static func timestamp(_ random: inout SeededRandom) -> JSONValue {
        let offset = [0, 3600, 7200, -18_000, 19_800].randomElement(using: &random)!
        let date = Date(timeIntervalSince1970: 1_793_491_200 + Double(Int.random(in: 0...(60 * 24 * 60), using: &random) * 60))
        return .string(Timestamp(date, utcOffsetSeconds: Int32(offset)).description)
    }

    static func date(_ random: inout SeededRandom, from first: Int = 0) -> (JSONValue, Int) {
        let day = Int.random(in: first...(first + 60), using: &random)
        let date = Date(timeIntervalSince1970: 1_793_491_200 + Double(day) * 86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return (.string(LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!.description), day)
    }

    private static func code(_ values: [String], _ random: inout SeededRandom) -> JSONValue {
        .string(values.randomElement(using: &random)!)
    }

    private static func codes(_ values: [String], _ random: inout SeededRandom) -> JSONValue {
        .array(values.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random)).map { .string($0) })
    }

    /// The reference fields a create fills with an existing record, by target kind.
    static func references(_ entity: EntityKind) -> [String: EntityKind] {
        switch entity {
        case .run: ["gear_id": .gear]
        case .painEntry: ["run_id": .run]
        case .planItem: ["plan_id": .plan]
        case .exerciseLog: ["plan_item_id": .planItem]
        case .plan, .gear: [:]
        }
    }

    static func create(_ entity: EntityKind, _ random: inout SeededRandom) -> [String: JSONValue] {
        var fields = update(entity, &random, optionalOnly: false)
        switch entity {
        case .run:
            let elapsed = Int64.random(in: 900...7200, using: &random)
            fields["started_at"] = timestamp(&random)
            fields["elapsed_s"] = .integer(elapsed)
            if random.chance(0.5) { fields["moving_s"] = .integer(elapsed - Int64.random(in: 0...300, using: &random)) }
        case .painEntry:
            fields["recorded_at"] = timestamp(&random)
            fields["body_site"] = code(BodySite.knownRawValues, &random)
            fields["side"] = code(Side.knownRawValues, &random)
            fields["severity"] = .integer(Int64.random(in: 0...10, using: &random))
            fields["timing"] = code(PainTiming.knownRawValues, &random)
        case .plan:
            fields["kind"] = code(PlanKind.knownRawValues, &random)
            fields["title"] = text(&random, words: 1...3)
            if random.chance(0.5) {
                let (start, day) = date(&random)
                fields["start_date"] = start
                fields["end_date"] = date(&random, from: day).0
            }
        case .planItem:
            fields["kind"] = code(PlanItemKind.knownRawValues, &random)
            fields["exercise"] = text(&random, words: 1...2)
        case .exerciseLog:
            fields["performed_at"] = timestamp(&random)
            fields["status"] = code(ExerciseStatus.knownRawValues, &random)
        case .gear:
            fields["name"] = text(&random, words: 1...2)
        }
        return fields
    }

    /// Some fields no rule ties to another, sometimes cleared (optional ones) with null.
    static func update(_ entity: EntityKind, _ random: inout SeededRandom, optionalOnly: Bool = true) -> [String: JSONValue] {
        var candidates: [(String, Bool, (inout SeededRandom) -> JSONValue)] = []
        func add(_ name: String, optional: Bool = true, _ value: @escaping (inout SeededRandom) -> JSONValue) {
            candidates.append((name, optional, value))
        }
        switch entity {
        case .run:
            add("notes") { text(&$0) }
            add("title") { text(&$0, words: 1...3) }
            add("rpe") { .number(Double(Int.random(in: 0...20, using: &$0)) / 2) }
            add("distance_m") { .number(Double(Int.random(in: 1000...42_195, using: &$0))) }
            add("surface") { code(Surface.knownRawValues, &$0) }
            add("avg_cadence_spm") { .integer(Int64.random(in: 150...190, using: &$0)) }
            add("form_notes") { text(&$0) }
            add("feel") { .integer(Int64.random(in: 1...5, using: &$0)) }
        case .painEntry:
            add("severity", optional: false) { .integer(Int64.random(in: 0...10, using: &$0)) }
            add("timing", optional: false) { code(PainTiming.knownRawValues, &$0) }
            add("notes") { text(&$0) }
            add("qualities") { codes(PainQuality.knownRawValues, &$0) }
            add("activity_impact") { code(ActivityImpact.knownRawValues, &$0) }
        case .plan:
            add("title", optional: false) { text(&$0, words: 1...3) }
            add("notes") { text(&$0) }
            add("goal") { text(&$0) }
            add("status") { code(PlanStatus.knownRawValues, &$0) }
        case .planItem:
            add("sets") { .integer(Int64.random(in: 1...5, using: &$0)) }
            add("reps") { .integer(Int64.random(in: 5...20, using: &$0)) }
            add("instructions") { text(&$0) }
            add("days_of_week") { codes(Weekday.knownRawValues, &$0) }
            add("position") { .integer(Int64.random(in: 0...20, using: &$0)) }
        case .exerciseLog:
            add("status", optional: false) { code(ExerciseStatus.knownRawValues, &$0) }
            add("sets_done") { .integer(Int64.random(in: 0...5, using: &$0)) }
            add("reps_done") { .integer(Int64.random(in: 0...60, using: &$0)) }
            add("pain_during") { .integer(Int64.random(in: 0...10, using: &$0)) }
            add("notes") { text(&$0) }
        case .gear:
            add("name", optional: false) { text(&$0, words: 1...2) }
            add("brand") { text(&$0, words: 1...1) }
            add("limit_distance_m") { .number(Double(Int.random(in: 300...1000, using: &$0) * 1000)) }
        }
        var fields: [String: JSONValue] = [:]
        let count = optionalOnly ? Int.random(in: 1...3, using: &random) : Int.random(in: 0...3, using: &random)
        for (name, optional, value) in candidates.shuffled(using: &random).prefix(count) where optionalOnly || optional {
            fields[name] = optional && optionalOnly && random.chance(0.1) ? .null : value(&random)
        }
        return fields
    }
}
