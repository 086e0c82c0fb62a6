import RunDiaryModels
import RunDiaryStore

/// The pain-monitoring model's flags, decided entry by entry in time order: pain during a run above the pain
/// ceiling in force that day, and next-morning pain higher than the previous next-morning entry for the same body
/// site and side.
///
/// The report reads the pain entries twice (figures first, then the detail table); both passes run this rule, so
/// the table marks exactly the entries the summary counts, and neither pass keeps a list of flags.
struct PainFlagRule {
    enum Kind: String, CaseIterable, Sendable {
        case aboveCeiling = "above-ceiling"
        case morningRise = "morning-rise"

        var title: String {
            switch self {
            case .aboveCeiling: "Pain during a run above the ceiling"
            case .morningRise: "Next-morning pain higher than the morning before"
            }
        }
    }

    /// A flagged entry: its kind, its score and what it was compared with.
    struct Flag: Sendable {
        let kind: Kind
        let severity: Int
        /// The ceiling in force (above-ceiling) or the previous morning's score (morning-rise).
        let reference: Int
        /// The previous next-morning entry's day, for a morning rise.
        let previousDay: ReportDay?

        /// `7/10 (ceiling 4/10)` or `3/10 (2/10 on 2 Mar 2026)`.
        var comparison: String {
            switch kind {
            case .aboveCeiling: "\(severity)/10 (ceiling \(reference)/10)"
            case .morningRise: "\(severity)/10 (\(reference)/10 on \(previousDay?.longLabel ?? "the morning before"))"
            }
        }
    }

    /// The pain ceiling when no plan sets one (pain-monitoring model: up to 5/10 during activity is acceptable).
    static let defaultPainCeiling = 5

    let plans: [ExportedPlan]
    private var lastMorning: [String: (day: ReportDay, severity: Int)] = [:]

    init(plans: [ExportedPlan]) {
        self.plans = plans
    }

    /// The flag `entry` raises, if any; entries must come in time order.
    mutating func check(_ entry: PainEntry) -> Flag? {
        let day = ReportDay(entry.recordedAt)
        switch entry.timing {
        case .duringRun:
            let ceiling = painCeiling(on: day)
            guard entry.severity > ceiling else { return nil }
            return Flag(kind: .aboveCeiling, severity: entry.severity, reference: ceiling, previousDay: nil)
        case .nextMorning:
            let site = ReportFigures.siteLabel(entry.bodySite, entry.side)
            defer { lastMorning[site] = (day, entry.severity) }
            guard let previous = lastMorning[site], entry.severity > previous.severity else { return nil }
            return Flag(kind: .morningRise, severity: entry.severity, reference: previous.severity, previousDay: previous.day)
        default:
            return nil
        }
    }

    /// The lowest pain ceiling among the plans in force on `day`; 5 when none is.
    func painCeiling(on day: ReportDay) -> Int {
        let ceilings = plans.map(\.plan).filter { plan in
            Self.counts(plan) && (plan.startDate.map { ReportDay($0) <= day } ?? true)
                && (plan.endDate.map { ReportDay($0) >= day } ?? true)
        }.map(\.effectivePainCeiling)
        return ceilings.min() ?? Self.defaultPainCeiling
    }

    /// Whether a plan is in force: active or completed, not a draft or cancelled.
    static func counts(_ plan: Plan) -> Bool {
        plan.status != .draft && plan.status != .cancelled
    }
}
