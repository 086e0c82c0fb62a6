import Foundation
import RunDiaryModels

/// Distances and climbs from recorded points, for formats that store points rather than totals (GPX, TCX).
enum TrackGeometry {
    /// Mean Earth radius (IUGG), metres.
    static let earthRadius = 6_371_008.8

    /// The great-circle (haversine) distance between two positions in degrees, in metres.
    static func distance(_ a: (latitude: Double, longitude: Double), _ b: (latitude: Double, longitude: Double)) -> Double {
        let radians = Double.pi / 180
        let deltaLatitude = (b.latitude - a.latitude) * radians
        let deltaLongitude = (b.longitude - a.longitude) * radians
        let h =
            sin(deltaLatitude / 2) * sin(deltaLatitude / 2)
            + cos(a.latitude * radians) * cos(b.latitude * radians) * sin(deltaLongitude / 2) * sin(deltaLongitude / 2)
        return 2 * earthRadius * asin(min(1, sqrt(h)))
    }

    /// The sum of the rises between consecutive elevations, as recorded (no smoothing).
    static func climb(_ elevations: [Double]) -> Double {
        zip(elevations, elevations.dropFirst()).reduce(0) { total, pair in total + max(0, pair.1 - pair.0) }
    }

    /// An xsd:dateTime as GPX and TCX write it; one without an offset is UTC, as both formats define their times.
    static func time(_ text: String) -> Timestamp? {
        Timestamp(text) ?? Timestamp(text + "Z")
    }

    /// The mean of the values, or nil for none.
    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
