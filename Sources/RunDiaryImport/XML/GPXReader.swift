import Foundation
import RunDiaryModels

/// The runs of a GPX 1.1 file: one per track (`trk`) with timed points.
///
/// Values come from the points: start and elapsed time from the first and last point time, distance along each
/// segment (haversine), elevation gain from `ele`, and heart rate and cadence from Garmin's TrackPointExtension
/// (`hr`, `cad`; `cad` counts one leg, so it is doubled). GPX has no moving time.
enum GPXReader {
    /// `trk/type` values that mean running (Garmin, Strava, and Strava's numeric code 9); a track without a type is
    /// read as a run, since its owner chose to import it as one.
    static let runningTypes: Set<String> = ["running", "run", "trail_running", "street_running", "treadmill_running", "9"]

    static func read(_ data: Data) throws(ImportIssue) -> [ActivitySummary] {
        let collector = Collector()
        try SafeXMLReader.read(data, into: collector)
        guard collector.sawRoot else { throw ImportIssue(.unsupportedFormat, "The file is XML but not GPX.") }
        var summaries: [ActivitySummary] = []
        for track in collector.tracks {
            let timed = track.segments.map { $0.filter { $0.time != nil } }.filter { !$0.isEmpty }
            guard let first = timed.first?.first?.time, let last = timed.last?.last?.time else { continue }
            let type = track.type?.lowercased()
            var summary = ActivitySummary(
                id: ImportIdentity.trackRun(source: "gpx", start: first.date),
                sport: type ?? "unspecified", isRun: type.map(runningTypes.contains) ?? true, startedAt: first.date)
            summary.utcOffsetSeconds = Int(first.utcOffsetSeconds)
            summary.elapsedSeconds = last.date.timeIntervalSince(first.date)
            summary.distanceMeters = timed.reduce(0) { total, segment in
                total + zip(segment, segment.dropFirst()).reduce(0) { $0 + TrackGeometry.distance($1.0.position, $1.1.position) }
            }
            let climbs = timed.map { TrackGeometry.climb($0.compactMap(\.elevation)) }
            summary.elevationGainMeters = timed.contains { $0.contains { $0.elevation != nil } } ? climbs.reduce(0, +) : nil
            let points = timed.flatMap { $0 }
            summary.averageHeartRate = TrackGeometry.mean(points.compactMap(\.heartRate))
            summary.maxHeartRate = points.compactMap(\.heartRate).max()
            summary.cadenceStepsPerMinute = TrackGeometry.mean(points.compactMap(\.cadence)).map { $0 * 2 }
            summary.hasTrack = true
            summary.title = track.name.flatMap { $0.isEmpty ? nil : $0 }
            summaries.append(summary)
        }
        guard !summaries.isEmpty else { throw ImportIssue(.noActivity, "The GPX file has no track with timed points.") }
        return summaries
    }

    struct Point {
        var position: (latitude: Double, longitude: Double)
        var time: Timestamp?
        var elevation: Double?
        var heartRate: Double?
        var cadence: Double?
    }

    struct Track {
        var name: String?
        var type: String?
        var segments: [[Point]] = []
    }

    /// Not Sendable: lives for one parse.
    private final class Collector: XMLElementHandler {
        var sawRoot = false
        var tracks: [Track] = []
        private var inTrack = false
        private var point: Point?

        func start(_ name: String, attributes: [String: String]) {
            switch name {
            case "gpx": sawRoot = true
            case "trk":
                inTrack = true
                tracks.append(Track())
            case "trkseg" where inTrack: tracks[tracks.count - 1].segments.append([])
            case "trkpt" where inTrack && !(tracks.last?.segments.isEmpty ?? true):
                guard let latitude = attributes["lat"].flatMap(Double.init), let longitude = attributes["lon"].flatMap(Double.init),
                    (-90...90).contains(latitude), (-180...180).contains(longitude)
                else { return }
                point = Point(position: (latitude, longitude))
            default: break
            }
        }

        func end(_ name: String, text: String) {
            switch name {
            case "trk": inTrack = false
            case "name" where inTrack && point == nil: tracks[tracks.count - 1].name = text
            case "type" where inTrack && point == nil: tracks[tracks.count - 1].type = text
            case "time" where point != nil: point?.time = TrackGeometry.time(text)
            case "ele" where point != nil: point?.elevation = Double(text).flatMap { $0.isFinite ? $0 : nil }
            case "hr" where point != nil: point?.heartRate = Double(text).flatMap { $0.isFinite ? $0 : nil }
            case "cad" where point != nil: point?.cadence = Double(text).flatMap { $0.isFinite ? $0 : nil }
            case "trkpt":
                if let point { tracks[tracks.count - 1].segments[tracks[tracks.count - 1].segments.count - 1].append(point) }
                point = nil
            default: break
            }
        }
    }
}
