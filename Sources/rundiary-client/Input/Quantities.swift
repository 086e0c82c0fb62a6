import Foundation

/// The forms a runner types: `5k`, `10.5km`, `800m`, `3mi`; `28:30`, `1:02:03`, `45m`, `1h5m`.
enum Quantities {
    /// Metres from a distance; a bare number is kilometres.
    static func meters(_ text: String) -> Double? {
        let lower = text.lowercased().replacingOccurrences(of: " ", with: "")
        for (suffix, factor) in [("km", 1000.0), ("k", 1000), ("mi", 1609.344), ("m", 1)] where lower.hasSuffix(suffix) {
            return Double(lower.dropLast(suffix.count)).flatMap { $0 >= 0 ? $0 * factor : nil }
        }
        return Double(lower).flatMap { $0 >= 0 ? $0 * 1000 : nil }
    }

    /// Seconds from a duration; a bare number is minutes.
    static func seconds(_ text: String) -> Int? {
        let lower = text.lowercased().replacingOccurrences(of: " ", with: "")
        if lower.contains(":") {
            let parts = lower.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
            let numbers = parts.map { $0! }
            guard numbers.dropFirst().allSatisfy({ $0 < 60 }) else { return nil }
            return numbers.reduce(0) { $0 * 60 + $1 }
        }
        if let minutes = Double(lower) { return minutes >= 0 ? Int((minutes * 60).rounded()) : nil }
        var total = 0
        var number = ""
        for character in lower {
            if character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int(number) else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
        }
        return number.isEmpty ? total : nil
    }

    /// `28:30` or `1:02:03`.
    static func clock(_ seconds: Int) -> String {
        seconds >= 3600
            ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    /// `5.00 km`.
    static func kilometres(_ meters: Double) -> String {
        String(format: "%.2f km", meters / 1000)
    }

    /// Minutes per kilometre, `5:42 /km`.
    static func pace(seconds: Int, meters: Double) -> String? {
        guard meters > 0 else { return nil }
        return clock(Int((Double(seconds) / (meters / 1000)).rounded())) + " /km"
    }
}
