import RunDiaryStore

/// What both renderings of the report, HTML and PDF, are drawn from: the owner's name, the plans, and the figures
/// and sentences of the first pass over the snapshot.
struct ReportData {
    let name: String
    let plans: [ExportedPlan]
    let figures: ReportFigures
    let summary: ReportSummary

    /// Reads the plans and the three series once, keeping only the aggregates.
    static func read(_ snapshot: DiarySnapshot) async throws -> ReportData {
        let plans = try await snapshot.plans()
        var aggregator = ReportAggregator(plans: plans, scope: snapshot.scope)
        try await snapshot.forEachRun { aggregator.add($0) }
        try await snapshot.forEachPainEntry { aggregator.add($0) }
        try await snapshot.forEachExerciseLog { aggregator.add($0) }
        let figures = aggregator.finish()
        return ReportData(
            name: try await snapshot.ownerName(), plans: plans, figures: figures,
            summary: ReportSummary(figures, scope: snapshot.scope))
    }

    /// `2026-01-05 – 2026-03-29`, the report's first and last day.
    var period: String {
        figures.range.map { "\($0.lowerBound.text) – \($0.upperBound.text)" } ?? "no entries"
    }
}
