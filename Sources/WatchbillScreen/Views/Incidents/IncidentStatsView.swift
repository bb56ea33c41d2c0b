import WatchbillIncidents

/// How the team responded over the last 7, 30 and 90 days: incidents by severity, and the
/// time to acknowledge, mitigate and restore as median and p90, with the share within the
/// targets (acknowledge in 15 minutes, restore in an hour).
enum IncidentStatsView {
    static let periods: [(String, Double)] = [("7 days", 7 * 86_400), ("30 days", 30 * 86_400), ("90 days", 90 * 86_400)]

    static func render(_ state: AppState, into grid: inout Grid, area: Rect) {
        let data = state.incidents
        let inner = Box(title: "Incident response", focused: true, badge: "T: back to the list")
            .render(into: &grid, area: area, glyphs: state.glyphs)
        guard inner.height > 2, inner.width > 20 else { return }
        let stats = periods.map { IncidentStats.summarize(data.all, from: data.now - $0.1, to: data.now) }
        func time(_ v: Double?) -> String { v.map(IncidentFormat.duration) ?? "-" }
        func share(_ m: IncidentStats.Measure) -> String { m.withinTarget.map { IncidentFormat.percent($0 * 100) } ?? "-" }
        var rows: [Table.Row] = [Table.Row(["incidents"] + stats.map { "\($0.total)" })]
        for s in Severity.allCases {
            rows.append(Table.Row(["  \(s.rawValue)"] + stats.map { "\($0.bySeverity[s] ?? 0)" },
                                  roles: [s.role]))
        }
        let measures: [(String, KeyPath<IncidentStats, IncidentStats.Measure>, Bool)] = [
            ("acknowledge", \.acknowledge, true), ("mitigate", \.mitigate, false), ("restore", \.restore, true),
        ]
        for (name, path, hasTarget) in measures {
            rows.append(Table.Row(["\(name) median"] + stats.map { time($0[keyPath: path].median) }))
            rows.append(Table.Row(["\(name) p90"] + stats.map { time($0[keyPath: path].p90) }))
            if hasTarget {
                let goal = name == "acknowledge" ? "15m" : "1h"
                rows.append(Table.Row(["\(name) within \(goal)"] + stats.map { share($0[keyPath: path]) },
                                      roles: [.text] + stats.map { m in
                                          let w = m[keyPath: path].withinTarget
                                          return w == nil ? .muted : (w! >= 0.9 ? .ok : .warn)
                                      }))
            }
        }
        let columns = [Table.Column("", width: 24, .left)] + periods.map { Table.Column($0.0, width: 10) }
        Table(columns: columns, rows: rows, stretch: 0).render(into: &grid, area: inner, glyphs: state.glyphs)
    }
}
