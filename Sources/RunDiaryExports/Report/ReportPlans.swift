import Foundation
import RunDiaryModels
import RunDiaryStore

/// The report's plan section: each plan with its author, period, pain ceiling and exercises.
enum ReportPlans {
    static func section(_ plans: [ExportedPlan], scope: ExportScope) -> String {
        var html = "<section id=\"plans\"><h2>Plans</h2>"
        guard !plans.isEmpty else { return html + "<p class=\"muted\">No plans in this period.</p></section>\n" }
        for exported in plans {
            let plan = exported.plan
            var facts: [String] = [FHIRCodes.label(plan.kind.rawValue)]
            if let status = plan.status { facts.append(FHIRCodes.label(status.rawValue).lowercased()) }
            if let author = plan.authorName ?? plan.authorRole.map({ FHIRCodes.label($0.rawValue) }) {
                facts.append("by " + author)
            }
            if plan.startDate != nil || plan.endDate != nil {
                facts.append("\(plan.startDate?.description ?? "…") – \(plan.endDate?.description ?? "…")")
            }
            facts.append("pain ceiling \(plan.effectivePainCeiling)/10")
            html +=
                "<article class=\"plan\"><h3>\(HTMLText.escape(plan.title))</h3><p class=\"meta\">\(HTMLText.escape(facts.joined(separator: " · ")))</p>"
            if let goal = plan.goal { html += "<p>\(HTMLText.escape(goal))</p>" }
            if !exported.items.isEmpty {
                html += "<ul>"
                for item in exported.items {
                    var schedule = ""
                    if let days = item.daysOfWeek, !days.isEmpty {
                        schedule = days.map { FHIRCodes.label($0.rawValue) }.joined(separator: ", ")
                    } else if let times = item.timesPerWeek {
                        schedule = "\(times)× per week"
                    }
                    let detail = [PlanCarePlan.description(item), schedule.isEmpty ? nil : schedule].compactMap { $0 }
                        .joined(separator: " · ")
                    html +=
                        "<li><strong>\(HTMLText.escape(item.exercise))</strong>\(detail.isEmpty ? "" : " – " + HTMLText.escape(detail))</li>"
                }
                html += "</ul>"
            }
            if let notes = plan.notes { html += "<p class=\"text\">\(HTMLText.escape(notes))</p>" }
            html += "</article>"
        }
        return html + "</section>\n"
    }
}
