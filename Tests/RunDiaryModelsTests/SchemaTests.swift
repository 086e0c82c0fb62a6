import RunDiaryModels
import Testing

/// The field table of the issue, written out independently: the database CHECK constraints are derived from the
/// schema, so any drift from these limits must fail here.
@Suite("Entity schemas")
struct SchemaTests {
    typealias Row = (name: String, type: FieldType, required: Bool)

    static let expected: [EntityKind: [Row]] = [
        .run: [
            ("started_at", .timestamp, true), ("time_zone", .timeZone(maxLength: 64), false),
            ("surface", .enumeration(allowed: ["road", "trail", "track", "treadmill", "grass", "mixed"]), false),
            ("is_indoor", .boolean, false), ("distance_m", .number(0...1_000_000), false),
            ("elapsed_s", .integer(1...604_800), true), ("moving_s", .integer(0...604_800), false),
            ("elevation_gain_m", .number(0...20_000), false), ("incline_pct", .number(-10...40), false),
            ("avg_cadence_spm", .integer(60...250), false), ("avg_step_length_mm", .integer(1...3000), false),
            ("avg_hr_bpm", .integer(30...255), false), ("max_hr_bpm", .integer(30...255), false),
            ("rpe", .number(0...10), false), ("feel", .integer(1...5), false),
            ("gear_id", .reference(.gear), false), ("plan_item_id", .reference(.planItem), false),
            ("title", .string(maxLength: 200), false), ("notes", .string(maxLength: 4000), false),
            ("form_notes", .string(maxLength: 4000), false),
        ],
        .painEntry: [
            ("recorded_at", .timestamp, true),
            (
                "body_site",
                .enumeration(allowed: [
                    "hip", "groin", "thigh", "knee", "shin", "calf", "achilles", "ankle", "foot", "low_back", "other",
                ]), true
            ),
            ("side", .enumeration(allowed: ["left", "right", "both", "none"]), true),
            ("severity", .integer(0...10), true),
            (
                "timing",
                .enumeration(allowed: [
                    "before_run", "during_run", "after_run", "later_same_day", "next_morning", "at_rest",
                ]), true
            ),
            (
                "qualities",
                .enumerationSet(allowed: [
                    "aching", "sharp", "stabbing", "burning", "throbbing", "cramping", "tingling", "stiffness",
                ]), false
            ),
            (
                "activity_impact",
                .enumeration(allowed: ["none", "reduced_volume", "reduced_performance", "stopped"]), false
            ),
            ("run_id", .reference(.run), false), ("notes", .string(maxLength: 4000), false),
        ],
        .plan: [
            ("kind", .enumeration(allowed: ["training", "rehab"]), true), ("title", .string(maxLength: 200), true),
            ("goal", .string(maxLength: 1000), false),
            ("author_role", .enumeration(allowed: ["self", "physical_therapist", "coach"]), false),
            ("author_name", .string(maxLength: 200), false),
            ("status", .enumeration(allowed: ["draft", "active", "completed", "cancelled"]), false),
            ("start_date", .date, false), ("end_date", .date, false), ("pain_ceiling", .integer(0...10), false),
            ("notes", .string(maxLength: 4000), false),
        ],
        .planItem: [
            ("plan_id", .reference(.plan), true),
            ("kind", .enumeration(allowed: ["run_session", "strength", "mobility", "stretch"]), true),
            ("exercise", .string(maxLength: 200), true), ("instructions", .string(maxLength: 4000), false),
            ("sets", .integer(1...20), false), ("reps", .integer(1...100), false), ("hold_s", .integer(0...600), false),
            ("load", .number(0...1000), false),
            ("load_unit", .enumeration(allowed: ["kg", "lb", "band", "bodyweight"]), false),
            ("target_rpe", .number(0...10), false),
            ("days_of_week", .enumerationSet(allowed: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), false),
            ("times_per_week", .integer(1...14), false), ("position", .integer(0...10_000), false),
        ],
        .exerciseLog: [
            ("plan_item_id", .reference(.planItem), true), ("performed_at", .timestamp, true),
            ("status", .enumeration(allowed: ["done", "partial", "skipped"]), true),
            ("sets_done", .integer(0...100), false), ("reps_done", .integer(0...10_000), false),
            ("load", .number(0...1000), false), ("pain_during", .integer(0...10), false),
            ("notes", .string(maxLength: 4000), false),
        ],
        .gear: [
            ("name", .string(maxLength: 200), true), ("brand", .string(maxLength: 100), false),
            ("model", .string(maxLength: 100), false), ("started_on", .date, false), ("retired_on", .date, false),
            ("initial_distance_m", .number(0...10_000_000), false), ("limit_distance_m", .number(1...10_000_000), false),
        ],
    ]

    @Test("every entity kind has a schema whose fields match the issue's table", arguments: EntityKind.allCases)
    func fieldsMatch(_ entity: EntityKind) throws {
        let schema = EntitySchema.schema(for: entity)
        let rows = try #require(Self.expected[entity])
        #expect(schema.entity == entity)
        #expect(schema.fields.map(\.name) == rows.map(\.name))
        for (spec, row) in zip(schema.fields, rows) {
            #expect(spec.type == row.type, "\(entity.rawValue).\(spec.name)")
            #expect(spec.isRequired == row.required, "\(entity.rawValue).\(spec.name)")
            #expect(schema.field(named: row.name) == spec)
        }
    }

    @Test("no field uses a reserved name")
    func reserved() {
        for entity in EntityKind.allCases {
            let names = Set(EntitySchema.schema(for: entity).fields.map(\.name))
            #expect(names.isDisjoint(with: EntitySchema.reservedNames), "\(entity.rawValue)")
        }
    }

    @Test("cross-field rules are the documented ones")
    func rules() {
        #expect(
            EntitySchema.run.rules == [
                .notGreater(field: "moving_s", limit: "elapsed_s"),
                .notGreater(field: "avg_hr_bpm", limit: "max_hr_bpm"),
                .notFalse(field: "is_indoor", whenField: "surface", equals: "treadmill"),
            ])
        #expect(EntitySchema.plan.rules == [.notLess(field: "end_date", limit: "start_date")])
        #expect(EntitySchema.gear.rules == [.notLess(field: "retired_on", limit: "started_on")])
        #expect(EntitySchema.painEntry.rules.isEmpty && EntitySchema.planItem.rules.isEmpty)
    }

    @Test("the pain ceiling defaults to 5, and names and titles must not be blank")
    func defaultsAndBlanks() {
        #expect(EntitySchema.plan.field(named: "pain_ceiling")?.defaultValue == .integer(5))
        let nonBlank = EntityKind.allCases.flatMap { entity in
            EntitySchema.schema(for: entity).fields.filter { !$0.allowsBlank }.map { "\(entity.rawValue).\($0.name)" }
        }
        #expect(nonBlank == ["plan.title", "plan_item.exercise", "gear.name"])
    }

    @Test("wire names of entity kinds")
    func entityNames() {
        #expect(EntityKind.allCases.map(\.rawValue) == ["run", "pain_entry", "plan", "plan_item", "exercise_log", "gear"])
    }
}
