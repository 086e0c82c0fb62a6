import Foundation
import RunDiaryModels

/// Times as the runner types them, in this computer's time zone.
enum LocalTime {
    /// Now, with the local UTC offset.
    static func now() -> Timestamp {
        stamp(Date())
    }

    static func stamp(_ date: Date) -> Timestamp {
        Timestamp(date, utcOffsetSeconds: Int32(TimeZone.current.secondsFromGMT(for: date)))
    }

    /// `2026-11-26T07:30:00+01:00`, `2026-11-26 07:30`, `2026-11-26T07:30`, `07:30` (today) or `now`.
    static func timestamp(_ text: String) -> Timestamp? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return now() }
        if let exact = Timestamp(trimmed) { return exact }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let parts = trimmed.replacingOccurrences(of: "T", with: " ").split(separator: " ")
        var day = calendar.dateComponents([.year, .month, .day], from: Date())
        var clock = Substring("00:00")
        switch parts.count {
        case 1 where parts[0].contains(":"):
            clock = parts[0]
        case 1, 2:
            guard let date = LocalDate(String(parts[0])) else { return nil }
            day = DateComponents(year: date.year, month: date.month, day: date.day)
            if parts.count == 2 { clock = parts[1] }
        default:
            return nil
        }
        let hm = clock.split(separator: ":").map { Int($0) }
        guard (2...3).contains(hm.count), let hour = hm[0], let minute = hm[1], (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        day.hour = hour
        day.minute = minute
        day.second = hm.count == 3 ? hm[2] : 0
        return calendar.date(from: day).map(stamp)
    }

    /// The local calendar day of a timestamp, in the offset it was recorded with.
    static func day(of timestamp: Timestamp) -> LocalDate {
        let local = timestamp.date.addingTimeInterval(TimeInterval(timestamp.utcOffsetSeconds))
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month, .day], from: local)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Today in this computer's time zone, `days` days ago.
    static func today(minus days: Int = 0) -> LocalDate {
        day(of: stamp(Date().addingTimeInterval(-Double(days) * 86_400)))
    }

    /// `Mon 26 Nov 07:30`, in the offset the time was recorded with.
    static func display(_ timestamp: Timestamp) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: Int(timestamp.utcOffsetSeconds))
        formatter.dateFormat = "EEE d MMM HH:mm"
        return formatter.string(from: timestamp.date)
    }
}
