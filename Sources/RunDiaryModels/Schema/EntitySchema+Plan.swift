extension EntitySchema {
    /// The pain ceiling a plan uses when it sets none: 5/10, the pain-monitoring model's limit during activity.
    public static let defaultPainCeiling: Int64 = 5

    /// A training plan or a rehab programme.
    public static let plan = EntitySchema(
        .plan,
        fields: [
            FieldSpec("kind", .enumeration(allowed: PlanKind.knownRawValues), required: true),
            FieldSpec("title", .string(maxLength: titleLength), required: true, allowsBlank: false),
            FieldSpec("goal", .string(maxLength: 1000)),
            FieldSpec("author_role", .enumeration(allowed: AuthorRole.knownRawValues)),
            FieldSpec("author_name", .string(maxLength: 200)),
            FieldSpec("status", .enumeration(allowed: PlanStatus.knownRawValues)),
            FieldSpec("start_date", .date),
            FieldSpec("end_date", .date),
            FieldSpec("pain_ceiling", .integer(0...10), defaultValue: .integer(defaultPainCeiling)),
            FieldSpec("notes", .string(maxLength: notesLength)),
        ],
        rules: [
            .notLess(field: "end_date", limit: "start_date")
        ]
    )
}
