import Foundation
import RunDiaryModels

/// The runs of a Garmin Training Center (TCX) file: one per `Activity`.
///
/// Moving time is the laps' `TotalTimeSeconds` (the timer), elapsed time runs from the first lap's start to the last
/// trackpoint, distance is the laps' `DistanceMeters`. Heart rate and cadence come from the trackpoints where they
/// have them (`HeartRateBpm`, `Cadence` or the ActivityExtension's `RunCadence`), else from the laps; TCX running
/// cadence counts one leg, so it is doubled.
enum TCXReader {
    static func read(_ data: Data) throws(ImportIssue) -> [ActivitySummary] {
        let collector = Collector()
        try SafeXMLReader.read(data, into: collector)
        guard collector.sawRoot else { throw ImportIssue(.unsupportedFormat, "The file is XML but not TCX.") }
        var summaries: [ActivitySummary] = []
        for activity in collector.activities {
            guard let start = activity.laps.first?.start ?? activity.id else { continue }
            let sport = activity.sport ?? "unspecified"
            var summary = ActivitySummary(
                id: ImportIdentity.trackRun(source: "tcx", start: (activity.id ?? start).date), sport: sport.lowercased(),
                isRun: sport.lowercased() == "running", startedAt: start.date)
            summary.utcOffsetSeconds = Int(start.utcOffsetSeconds)
            let laps = activity.laps
            let points = laps.flatMap(\.points)
            let timer = laps.compactMap(\.totalTime)
            summary.movingSeconds = timer.isEmpty ? nil : timer.reduce(0, +)
            if let end = points.compactMap(\.time).last {
                summary.elapsedSeconds = end.date.timeIntervalSince(start.date)
            } else {
                summary.elapsedSeconds = summary.movingSeconds
            }
            let lapDistances = laps.compactMap(\.distance)
            summary.distanceMeters =
                lapDistances.isEmpty ? points.compactMap(\.distance).last : lapDistances.reduce(0, +)
            let altitudes = points.compactMap(\.altitude)
            summary.elevationGainMeters = altitudes.isEmpty ? nil : TrackGeometry.climb(altitudes)
            let heartRates = points.compactMap(\.heartRate)
            summary.averageHeartRate = TrackGeometry.mean(heartRates) ?? weightedLapMean(laps, \.averageHeartRate)
            summary.maxHeartRate = (heartRates + laps.compactMap(\.maxHeartRate)).max()
            let perLeg = TrackGeometry.mean(points.compactMap(\.cadence)) ?? weightedLapMean(laps, \.cadence)
            summary.cadenceStepsPerMinute = perLeg.map { $0 * 2 }
            summary.hasTrack = points.isEmpty ? nil : points.contains { $0.hasPosition }
            summaries.append(summary)
        }
        guard !summaries.isEmpty else { throw ImportIssue(.noActivity, "The TCX file has no activity with a lap.") }
        return summaries
    }

    /// The laps' values weighted by lap time (laps without a time count as one second).
    private static func weightedLapMean(_ laps: [Lap], _ value: KeyPath<Lap, Double?>) -> Double? {
        let weighted = laps.compactMap { lap in lap[keyPath: value].map { ($0, max(lap.totalTime ?? 1, 1)) } }
        let weight = weighted.reduce(0) { $0 + $1.1 }
        return weighted.isEmpty ? nil : weighted.reduce(0) { $0 + $1.0 * $1.1 } / weight
    }

    struct Point {
        var time: Timestamp?
        var hasPosition = false
        var altitude: Double?
        var distance: Double?
        var heartRate: Double?
        var cadence: Double?
    }

    struct Lap {
        var start: Timestamp?
        var totalTime: Double?
        var distance: Double?
        var averageHeartRate: Double?
        var maxHeartRate: Double?
        /// Per leg: the lap's `Cadence` or `AvgRunCadence`.
        var cadence: Double?
        var points: [Point] = []
    }

    struct Activity {
        var sport: String?
        var id: Timestamp?
        var laps: [Lap] = []
    }

    /// Not Sendable: lives for one parse. Tracks where it is by the enclosing elements that matter.
    private final class Collector: XMLElementHandler {
        var sawRoot = false
        var activities: [Activity] = []
        private var stack: [String] = []
        private var lap: Lap?
        private var point: Point?

        func start(_ name: String, attributes: [String: String]) {
            switch name {
            case "TrainingCenterDatabase": sawRoot = true
            case "Activity" where stack.last == "Activities":
                activities.append(Activity(sport: attributes["Sport"]))
            case "Lap" where !activities.isEmpty:
                lap = Lap(start: attributes["StartTime"].flatMap(TrackGeometry.time))
            case "Trackpoint" where lap != nil: point = Point()
            case "Position" where point != nil: point?.hasPosition = true
            default: break
            }
            stack.append(name)
        }

        func end(_ name: String, text: String) {
            stack.removeLast()
            let parent = stack.last
            let number = Double(text).flatMap { $0.isFinite ? $0 : nil }
            if point != nil {
                switch (name, parent) {
                case ("Time", "Trackpoint"): point?.time = TrackGeometry.time(text)
                case ("AltitudeMeters", "Trackpoint"): point?.altitude = number
                case ("DistanceMeters", "Trackpoint"): point?.distance = number
                case ("Value", "HeartRateBpm"): point?.heartRate = number
                case ("Cadence", "Trackpoint"), ("RunCadence", _): point?.cadence = number
                case ("Trackpoint", _):
                    if let point { lap?.points.append(point) }
                    point = nil
                default: break
                }
                return
            }
            if lap != nil {
                switch (name, parent) {
                case ("TotalTimeSeconds", "Lap"): lap?.totalTime = number
                case ("DistanceMeters", "Lap"): lap?.distance = number
                case ("Value", "AverageHeartRateBpm"): lap?.averageHeartRate = number
                case ("Value", "MaximumHeartRateBpm"): lap?.maxHeartRate = number
                case ("Cadence", "Lap"), ("AvgRunCadence", _): lap?.cadence = number
                case ("Lap", _):
                    if let lap, !activities.isEmpty { activities[activities.count - 1].laps.append(lap) }
                    lap = nil
                default: break
                }
                return
            }
            if name == "Id", parent == "Activity", !activities.isEmpty {
                activities[activities.count - 1].id = TrackGeometry.time(text)
            }
        }
    }
}
