import Foundation

/// A run: when, how far and long, on what surface, how hard, in which shoes, and what was noticed about form.
public struct Run: DiaryRecord {
    public static let entity = EntityKind.run

    public var id: UUID
    /// When the run started.
    public var startedAt: Timestamp
    /// IANA time zone the run was in, such as `Europe/Berlin`.
    public var timeZone: String?
    public var surface: Surface?
    /// Whether the run was indoors; a treadmill run is indoors (never `false`).
    public var isIndoor: Bool?
    public var distanceMeters: Double?
    /// Total duration, 1 s … 7 days.
    public var elapsedSeconds: Int
    /// Time in motion, at most `elapsedSeconds`.
    public var movingSeconds: Int?
    public var elevationGainMeters: Double?
    /// Treadmill incline in percent, −10 … 40.
    public var inclinePercent: Double?
    /// Average cadence in steps (not strides) per minute.
    public var averageCadence: Int?
    public var averageStepLengthMillimeters: Int?
    public var averageHeartRate: Int?
    public var maxHeartRate: Int?
    /// Rating of perceived exertion on the Borg CR10 scale, 0 … 10.
    public var rpe: Double?
    /// How the run felt, 1 (awful) … 5 (great).
    public var feel: Int?
    public var gearID: UUID?
    /// The plan item the run carried out.
    public var planItemID: UUID?
    public var title: String?
    public var notes: String?
    /// What the runner, a friend or a coach noticed about running form.
    public var formNotes: String?

    public init(id: UUID = UUID(), startedAt: Timestamp, elapsedSeconds: Int) {
        self.id = id
        self.startedAt = startedAt
        self.elapsedSeconds = elapsedSeconds
    }

    enum CodingKeys: String, CodingKey {
        case id, surface, rpe, feel, title, notes
        case startedAt = "started_at"
        case timeZone = "time_zone"
        case isIndoor = "is_indoor"
        case distanceMeters = "distance_m"
        case elapsedSeconds = "elapsed_s"
        case movingSeconds = "moving_s"
        case elevationGainMeters = "elevation_gain_m"
        case inclinePercent = "incline_pct"
        case averageCadence = "avg_cadence_spm"
        case averageStepLengthMillimeters = "avg_step_length_mm"
        case averageHeartRate = "avg_hr_bpm"
        case maxHeartRate = "max_hr_bpm"
        case gearID = "gear_id"
        case planItemID = "plan_item_id"
        case formNotes = "form_notes"
    }
}
