import Foundation
import RunDiaryModels

/// The `Activity Date` of Strava's activities.csv, in UTC, in the forms Strava writes by account language:
/// `Jan 5, 2024, 7:30:12 AM`, `5 Jan 2024, 07:30:12` and `2024-01-05 07:30:12`.
enum StravaDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        let tokens = text.split { !$0.isLetter && !$0.isNumber }.map { String($0).lowercased() }
        guard tokens.count >= 6 else { return nil }
        func month(_ token: String) -> Int? {
            months.firstIndex(of: String(token.prefix(3))).map { $0 + 1 }
        }
        let year: Int?
        let monthNumber: Int?
        let day: Int?
        if tokens[0].count == 4, let y = Int(tokens[0]) {
            (year, monthNumber, day) = (y, Int(tokens[1]), Int(tokens[2]))
        } else if let m = month(tokens[0]) {
            (year, monthNumber, day) = (Int(tokens[2]), m, Int(tokens[1]))
        } else if let m = month(tokens[1]) {
            (year, monthNumber, day) = (Int(tokens[2]), m, Int(tokens[0]))
        } else {
            return nil
        }
        guard let year, let monthNumber, let day, var hour = Int(tokens[3]), let minute = Int(tokens[4]),
            let second = Int(tokens[5])
        else { return nil }
        if tokens.count > 6 {
            switch tokens[6] {
            case "am": hour = hour == 12 ? 0 : hour
            case "pm": hour = hour == 12 ? 12 : hour + 12
            default: break
            }
        }
        guard (1...9999).contains(year), (1...12).contains(monthNumber), (0...23).contains(hour), (0...59).contains(minute),
            (0...59).contains(second)
        else { return nil }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        let iso = "\(yearText)-\(two(monthNumber))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))Z"
        return Timestamp(iso)?.date
    }
}
