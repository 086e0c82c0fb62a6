import Foundation
import RunDiaryModels

/// The runs of a FIT activity file: file_id for its identity, each running session for the values, activity for the
/// local time, and whether any record message carries a position.
enum FITActivity {
    // Global message numbers and field numbers of the FIT profile.
    private enum Message {
        static let fileID: UInt16 = 0
        static let session: UInt16 = 18
        static let record: UInt16 = 20
        static let activity: UInt16 = 34
    }
    private enum FileIDField {
        static let type: UInt8 = 0
        static let serialNumber: UInt8 = 3
        static let timeCreated: UInt8 = 4
    }
    private enum SessionField {
        static let startTime: UInt8 = 2
        static let sport: UInt8 = 5
        static let subSport: UInt8 = 6
        static let totalElapsedTime: UInt8 = 7  // s × 1000
        static let totalTimerTime: UInt8 = 8  // s × 1000
        static let totalDistance: UInt8 = 9  // m × 100
        static let averageHeartRate: UInt8 = 16
        static let maxHeartRate: UInt8 = 17
        static let averageCadence: UInt8 = 18  // running: strides (one leg) per minute
        static let totalAscent: UInt8 = 22  // m
        static let totalMovingTime: UInt8 = 59  // s × 1000
        static let averageFractionalCadence: UInt8 = 92  // × 128
        static let averageStepLength: UInt8 = 134  // mm × 10
    }
    private enum ActivityField {
        static let localTimestamp: UInt8 = 5
    }
    private enum RecordField {
        static let positionLatitude: UInt8 = 0
        static let positionLongitude: UInt8 = 1
    }
    /// file_id.type of an activity file.
    private static let activityFileType: UInt64 = 4
    /// sport = running.
    private static let running: UInt64 = 1
    /// Sport names for skip reasons (FIT profile `sport`).
    private static let sportNames: [UInt64: String] = [
        0: "generic", 1: "running", 2: "cycling", 3: "transition", 4: "fitness equipment", 5: "swimming",
        6: "basketball", 7: "soccer", 8: "tennis", 10: "training", 11: "walking", 12: "cross-country skiing",
        13: "alpine skiing", 15: "rowing", 17: "hiking", 19: "paddling", 37: "stand-up paddleboarding",
    ]

    private static let decoder = FITDecoder(wanted: [
        Message.fileID: [FileIDField.type, FileIDField.serialNumber, FileIDField.timeCreated],
        Message.session: [
            SessionField.startTime, SessionField.sport, SessionField.subSport, SessionField.totalElapsedTime,
            SessionField.totalTimerTime, SessionField.totalDistance, SessionField.averageHeartRate,
            SessionField.maxHeartRate, SessionField.averageCadence, SessionField.totalAscent,
            SessionField.totalMovingTime, SessionField.averageFractionalCadence, SessionField.averageStepLength,
        ],
        Message.activity: [ActivityField.localTimestamp],
        Message.record: [RecordField.positionLatitude, RecordField.positionLongitude],
    ])

    /// One summary per session (running or not, so the caller can report what it skips).
    static func read(_ bytes: [UInt8]) throws(ImportIssue) -> [ActivitySummary] {
        let messages = try decoder.decode(bytes)
        guard let fileID = messages.first(where: { $0.global == Message.fileID }) else {
            throw ImportIssue(.corrupt, "The FIT file has no file_id message.")
        }
        guard fileID[FileIDField.type]?.unsigned == activityFileType else {
            throw ImportIssue(
                .noActivity,
                "The FIT file is not an activity file (file_id.type \(fileID[FileIDField.type]?.unsigned.map(String.init) ?? "absent")).")
        }
        let sessions = messages.filter { $0.global == Message.session }
        guard !sessions.isEmpty else { throw ImportIssue(.noActivity, "The FIT activity has no session message.") }
        let hasTrack = messages.contains { message in
            message.global == Message.record && message[RecordField.positionLatitude] != nil
                && message[RecordField.positionLongitude] != nil
        }
        let utcOffset = localOffset(messages)
        let serialNumber = fileID[FileIDField.serialNumber]?.unsigned
        var summaries: [ActivitySummary] = []
        for (index, session) in sessions.enumerated() {
            guard let start = session[SessionField.startTime]?.unsigned ?? session[FITDecoder.timestampField]?.unsigned else {
                throw ImportIssue(.missingValues, "A FIT session has no start time.")
            }
            let timeCreated = fileID[FileIDField.timeCreated]?.unsigned ?? start
            let sport = session[SessionField.sport]?.unsigned
            var summary = ActivitySummary(
                id: ImportIdentity.fitRun(serialNumber: serialNumber, timeCreated: timeCreated, sessionIndex: index),
                sport: sport.map { sportNames[$0] ?? "sport \($0)" } ?? "unknown sport",
                isRun: sport == running,
                startedAt: Date(timeIntervalSince1970: TimeInterval(Int64(start) + FITDecoder.epochOffset)))
            summary.utcOffsetSeconds = utcOffset
            summary.elapsedSeconds = session[SessionField.totalElapsedTime].map { $0.double / 1000 }
            let timer = session[SessionField.totalTimerTime].map { $0.double / 1000 }
            summary.movingSeconds = session[SessionField.totalMovingTime].map { $0.double / 1000 } ?? timer
            if summary.elapsedSeconds == nil { summary.elapsedSeconds = timer }
            summary.distanceMeters = session[SessionField.totalDistance].map { $0.double / 100 }
            summary.elevationGainMeters = session[SessionField.totalAscent]?.double
            summary.averageHeartRate = session[SessionField.averageHeartRate]?.double
            summary.maxHeartRate = session[SessionField.maxHeartRate]?.double
            if let strides = session[SessionField.averageCadence]?.double {
                let fraction = session[SessionField.averageFractionalCadence].map { $0.double / 128 } ?? 0
                summary.cadenceStepsPerMinute = (strides + fraction) * 2
            }
            summary.stepLengthMillimeters = session[SessionField.averageStepLength].map { $0.double / 10 }
            summary.hasTrack = hasTrack
            (summary.surface, summary.isIndoor) = surface(subSport: session[SessionField.subSport]?.unsigned)
            summaries.append(summary)
        }
        return summaries
    }

    /// activity.local_timestamp − activity.timestamp: the offset from UTC the watch was set to, in seconds.
    private static func localOffset(_ messages: [FITMessage]) -> Int? {
        guard let activity = messages.last(where: { $0.global == Message.activity }),
            let local = activity[ActivityField.localTimestamp]?.unsigned,
            let utc = activity[FITDecoder.timestampField]?.unsigned
        else { return nil }
        return Int(Int64(local) - Int64(utc))
    }

    /// FIT sub_sport: 1 treadmill, 2 street, 3 trail, 4 track, 45 indoor running, 58 virtual activity.
    private static func surface(subSport: UInt64?) -> (Surface?, Bool?) {
        switch subSport {
        case 1: (.treadmill, true)
        case 2: (.road, false)
        case 3: (.trail, false)
        case 4: (.track, nil)
        case 45: (nil, true)
        case 58: (.treadmill, true)
        default: (nil, nil)
        }
    }
}
