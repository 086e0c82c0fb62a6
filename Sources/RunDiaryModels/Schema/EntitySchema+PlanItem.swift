extension EntitySchema {
    /// One prescription in a plan: a run session or an exercise with its dose and schedule.
    public static let planItem = EntitySchema(
        .planItem,
        fields: [
            FieldSpec("plan_id", .reference(.plan), required: true),
            FieldSpec("kind", .enumeration(allowed: PlanItemKind.knownRawValues), required: true),
            FieldSpec("exercise", .string(maxLength: 200), required: true, allowsBlank: false),
            FieldSpec("instructions", .string(maxLength: notesLength)),
            FieldSpec("sets", .integer(1...20)),
            FieldSpec("reps", .integer(1...100)),
            FieldSpec("hold_s", .integer(0...600)),
            FieldSpec("load", .number(0...1000)),
            FieldSpec("load_unit", .enumeration(allowed: LoadUnit.knownRawValues)),
            FieldSpec("target_rpe", .number(0...10)),
            FieldSpec("days_of_week", .enumerationSet(allowed: Weekday.knownRawValues)),
            FieldSpec("times_per_week", .integer(1...14)),
            FieldSpec("position", .integer(0...10_000)),
        ]
    )
}
