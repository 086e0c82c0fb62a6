extension EntitySchema {
    /// A pain entry: where, which side, how bad (0–10 NRS), when relative to running, and what it felt like.
    public static let painEntry = EntitySchema(
        .painEntry,
        fields: [
            FieldSpec("recorded_at", .timestamp, required: true),
            FieldSpec("body_site", .enumeration(allowed: BodySite.knownRawValues), required: true),
            FieldSpec("side", .enumeration(allowed: Side.knownRawValues), required: true),
            FieldSpec("severity", .integer(0...10), required: true),
            FieldSpec("timing", .enumeration(allowed: PainTiming.knownRawValues), required: true),
            FieldSpec("qualities", .enumerationSet(allowed: PainQuality.knownRawValues)),
            FieldSpec("activity_impact", .enumeration(allowed: ActivityImpact.knownRawValues)),
            FieldSpec("run_id", .reference(.run)),
            FieldSpec("notes", .string(maxLength: notesLength)),
        ]
    )
}
