extension EntitySchema {
    /// A pair of shoes (or other gear) whose distance is tracked.
    public static let gear = EntitySchema(
        .gear,
        fields: [
            FieldSpec("name", .string(maxLength: 200), required: true, allowsBlank: false),
            FieldSpec("brand", .string(maxLength: 100)),
            FieldSpec("model", .string(maxLength: 100)),
            FieldSpec("started_on", .date),
            FieldSpec("retired_on", .date),
            FieldSpec("initial_distance_m", .number(0...10_000_000)),
            FieldSpec("limit_distance_m", .number(1...10_000_000)),
        ],
        rules: [
            .notLess(field: "retired_on", limit: "started_on")
        ]
    )
}
