import Foundation
import RunDiaryModels

/// What a reader found in one activity, in the diary's units but not yet checked against the `run` schema.
///
/// Every reader fills what its format carries; ``RunFields`` turns it into validated `run` fields.
struct ActivitySummary: Sendable {
    /// The record id, derived from the source's identity (``ImportIdentity``).
    var id: UUID
    /// The sport as the source names it, and whether it is running.
    var sport: String
    var isRun: Bool
    var startedAt: Date
    /// The offset from UTC the source records for the start, if it records one (FIT's local_timestamp).
    var utcOffsetSeconds: Int?
    var distanceMeters: Double?
    var elapsedSeconds: Double?
    var movingSeconds: Double?
    var elevationGainMeters: Double?
    var averageHeartRate: Double?
    var maxHeartRate: Double?
    /// Steps (both feet) per minute: per-leg source values already doubled.
    var cadenceStepsPerMinute: Double?
    var stepLengthMillimeters: Double?
    var surface: Surface?
    var isIndoor: Bool?
    /// Whether the activity carries positions (a GPS track); false means an indoor or treadmill run.
    var hasTrack: Bool?
    var title: String?
    /// Values the reader could not use, reported with the file's result.
    var warnings: [ValidationIssue] = []

    init(id: UUID, sport: String, isRun: Bool, startedAt: Date) {
        self.id = id
        self.sport = sport
        self.isRun = isRun
        self.startedAt = startedAt
    }
}
