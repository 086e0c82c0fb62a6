extension EntitySchema {
    /// A run: when, how far and long, on what, how hard, in which shoes, and notes on form.
    public static let run = EntitySchema(
        .run,
        fields: [
            FieldSpec("started_at", .timestamp, required: true),
            FieldSpec("time_zone", .timeZone(maxLength: 64)),
            FieldSpec("surface", .enumeration(allowed: Surface.knownRawValues)),
            FieldSpec("is_indoor", .boolean),
            FieldSpec("distance_m", .number(0...1_000_000)),
            FieldSpec("elapsed_s", .integer(1...604_800), required: true),
            FieldSpec("moving_s", .integer(0...604_800)),
            FieldSpec("elevation_gain_m", .number(0...20_000)),
            FieldSpec("incline_pct", .number(-10...40)),
            FieldSpec("avg_cadence_spm", .integer(60...250)),
            FieldSpec("avg_step_length_mm", .integer(1...3000)),
            FieldSpec("avg_hr_bpm", .integer(30...255)),
            FieldSpec("max_hr_bpm", .integer(30...255)),
            FieldSpec("rpe", .number(0...10)),
            FieldSpec("feel", .integer(1...5)),
            FieldSpec("gear_id", .reference(.gear)),
            FieldSpec("plan_item_id", .reference(.planItem)),
            FieldSpec("title", .string(maxLength: titleLength)),
            FieldSpec("notes", .string(maxLength: notesLength)),
            FieldSpec("form_notes", .string(maxLength: notesLength)),
        ],
        rules: [
            .notGreater(field: "moving_s", limit: "elapsed_s"),
            .notGreater(field: "avg_hr_bpm", limit: "max_hr_bpm"),
            .notFalse(field: "is_indoor", whenField: "surface", equals: Surface.treadmill.rawValue),
        ]
    )
}
