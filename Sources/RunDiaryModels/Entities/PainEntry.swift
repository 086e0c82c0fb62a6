import Foundation

/// A pain entry: where, which side, how bad on the 0–10 numeric rating scale, and when relative to running.
public struct PainEntry: DiaryRecord {
    public static let entity = EntityKind.painEntry

    public var id: UUID
    public var recordedAt: Timestamp
    public var bodySite: BodySite
    public var side: Side
    /// Numeric rating scale, 0 (none) … 10 (worst imaginable).
    public var severity: Int
    public var timing: PainTiming
    /// What the pain felt like; no repeats.
    public var qualities: [PainQuality]?
    public var activityImpact: ActivityImpact?
    /// The run the pain followed.
    public var runID: UUID?
    public var notes: String?

    public init(
        id: UUID = UUID(),
        recordedAt: Timestamp,
        bodySite: BodySite,
        side: Side,
        severity: Int,
        timing: PainTiming
    ) {
        self.id = id
        self.recordedAt = recordedAt
        self.bodySite = bodySite
        self.side = side
        self.severity = severity
        self.timing = timing
    }

    enum CodingKeys: String, CodingKey {
        case id, side, severity, timing, qualities, notes
        case recordedAt = "recorded_at"
        case bodySite = "body_site"
        case activityImpact = "activity_impact"
        case runID = "run_id"
    }
}
