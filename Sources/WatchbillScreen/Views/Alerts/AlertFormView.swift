import WatchbillIncidents
import WatchbillRules

/// The acknowledge or silence form over the screen: its fields, the error if Enter found
/// one, and for a silence a live preview of the alerts it would mute.
enum AlertFormView {
    static func render(_ form: AlertForm, _ state: AppState, into grid: inout Grid) {
        let g = state.glyphs
        var preview: [String] = []
        if form.kind == .silence {
            switch form.matchers {
            case .success(let matchers):
                let probe = Silence(id: "", matchers: matchers, startsAt: -.infinity, endsAt: .infinity, createdBy: "", comment: "")
                let muted = state.alerts.items.filter { $0.phase != .resolved && probe.mutes($0.labels, at: 0) }
                preview = ["mutes \(muted.count) active alert\(muted.count == 1 ? "" : "s")" + (muted.isEmpty ? "" : ":")]
                    + muted.prefix(5).map { "  \($0.severityLabel) \($0.name) \(AlertFormat.labels($0.keyLabels))" }
                if muted.count > 5 { preview.append("  and \(muted.count - 5) more") }
            case .failure(let e):
                preview = ["matchers, column \(e.at.column): \(e.cause)"]
            }
        }
        if let chosen = form.fields.first(where: { $0.name == "severity" }) {
            // The team's meanings, so the choice is made against them, not from memory.
            preview += Severity.allCases.map { ($0.rawValue == chosen.text.uppercased() ? "> " : "  ") + "\($0.rawValue) \($0.meaning)" }
        }
        let height = min(grid.height, 2 + form.fields.count * 2 + 2 + preview.count + 1)
        let width = min(grid.width, max(60, min(100, grid.width - 4)))
        let area = Rect(x: (grid.width - width) / 2, y: max(0, (grid.height - height) / 2), width: width, height: height)
        var title = form.title
        if case .acknowledge(let labels) = form.kind { title += " " + (labels["alertname"] ?? "") }
        let inner = Box(title: title, focused: true, badge: "Enter saves, Esc cancels").render(into: &grid, area: area, glyphs: g)
        guard inner.height > 0, inner.width > 10 else { return }
        var y = inner.y
        for (i, field) in form.fields.enumerated() where y + 1 < inner.maxY {
            let focused = i == form.focused
            grid.text(field.name, x: inner.x + 1, y: y, style: Style(focused ? .title : .muted, bold: focused), limit: inner.maxX)
            grid.text(field.hint, x: inner.x + 12, y: y, style: Style(.muted), limit: inner.maxX)
            y += 1
            if !field.choices.isEmpty {
                // Every value in a row, the chosen one marked: a choice, not a text to retype.
                var x = inner.x + 1
                for choice in field.choices {
                    let chosen = choice == field.text
                    let label = chosen ? (g.asciiOnly ? "[\(choice)]" : "▸\(choice)") : " \(choice)"
                    x = grid.text(label, x: x, y: y, style: Style(chosen ? .title : .muted, bold: chosen, reverse: chosen && focused),
                                  limit: inner.maxX - 1) + 2
                }
                y += 1
                continue
            }
            // The part around the cursor stays in view; the cursor is the one cell not reversed.
            let room = max(1, inner.width - 3)
            let chars = Array(field.text)
            let cursor = min(field.cursor, chars.count)
            let start = focused ? max(0, cursor - room + 1) : 0
            let shown = String(chars[min(start, chars.count)..<min(chars.count, start + room)])
            grid.fill(Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1), style: Style(.text, reverse: focused))
            grid.text(shown, x: inner.x + 1, y: y, style: Style(.text, bold: true, reverse: focused), limit: inner.maxX - 1)
            if focused {
                let cx = inner.x + 1 + displayWidth(String(chars[min(start, chars.count)..<cursor]))
                if cx < inner.maxX - 1 {
                    var cell = grid[cx, y]
                    cell.style.reverse = false
                    if cell.scalar == " " { cell.scalar = "_" }
                    grid[cx, y] = cell
                }
            }
            y += 1
        }
        if let error = form.error, y < inner.maxY {
            grid.text(error, x: inner.x + 1, y: y, style: Style(.critical, bold: true), limit: inner.maxX)
        }
        y += 1
        for l in preview where y < inner.maxY {
            grid.text(l, x: inner.x + 1, y: y, style: Style(.warn), limit: inner.maxX)
            y += 1
        }
    }
}
