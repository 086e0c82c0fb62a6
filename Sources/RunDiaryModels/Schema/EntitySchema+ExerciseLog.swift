extension EntitySchema {
    /// A record of doing (or skipping) a plan item once.
    public static let exerciseLog = EntitySchema(
        .exerciseLog,
        fields: [
            FieldSpec("plan_item_id", .reference(.planItem), required: true),
            FieldSpec("performed_at", .timestamp, required: true),
            FieldSpec("status", .enumeration(allowed: ExerciseStatus.knownRawValues), required: true),
            FieldSpec("sets_done", .integer(0...100)),
            FieldSpec("reps_done", .integer(0...10_000)),
            FieldSpec("load", .number(0...1000)),
            FieldSpec("pain_during", .integer(0...10)),
            FieldSpec("notes", .string(maxLength: notesLength)),
        ]
    )
}
