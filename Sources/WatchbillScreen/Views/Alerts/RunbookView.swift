/// A runbook in a pager: Markdown shown as text with its headings picked out, wrapped to
/// the width; or, for a runbook on the web, its address to copy.
enum RunbookView {
    static func render(_ page: RunbookPage, _ state: AppState, into grid: inout Grid, area: Rect) {
        let lines = wrap(page.lines, width: max(1, area.width - 3))
        let shownTop = min(page.scroll, max(0, lines.count - 1))
        let badge = lines.isEmpty ? "" : "\(min(lines.count, shownTop + 1))-\(min(lines.count, shownTop + area.height - 2))/\(lines.count)"
        let inner = Box(title: "Runbook: " + page.title, focused: true, badge: badge)
            .render(into: &grid, area: area, glyphs: state.glyphs)
        guard inner.height > 0, inner.width > 0 else { return }
        if let url = page.url {
            grid.text("This runbook is on the web; copy the address:", x: inner.x + 1, y: inner.y, style: Style(.muted), limit: inner.maxX)
            if inner.height > 2 { grid.text(url, x: inner.x + 1, y: inner.y + 2, style: Style(.title, bold: true), limit: inner.maxX) }
            return
        }
        var inCode = false
        // Code fences above the window decide how the first visible line is drawn.
        for l in lines.prefix(shownTop) where l.hasPrefix("```") { inCode.toggle() }
        for (i, l) in lines.dropFirst(shownTop).prefix(inner.height).enumerated() {
            let y = inner.y + i
            if l.hasPrefix("```") {
                inCode.toggle()
                continue
            }
            let style: Style
            if inCode {
                style = Style(.muted)
            } else if l.hasPrefix("#") {
                style = Style(.title, bold: true)
            } else {
                style = Style(.text)
            }
            let text = !inCode && l.hasPrefix("#") ? String(l.drop { $0 == "#" || $0 == " " }) : l
            grid.text(text, x: inner.x + 1, y: y, style: style, limit: inner.maxX)
        }
    }

    /// Long lines broken at spaces (or hard at the width when a word is longer), keeping a
    /// list item's indent on its continuation lines.
    static func wrap(_ lines: [String], width: Int) -> [String] {
        var out: [String] = []
        for line in lines {
            guard displayWidth(line) > width else {
                out.append(line)
                continue
            }
            let indent = String(repeating: " ", count: min(width / 2, line.prefix { $0 == " " || $0 == "-" || $0 == "*" || $0.isNumber || $0 == "." }.count))
            var current = ""
            for word in line.split(separator: " ", omittingEmptySubsequences: false) {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if displayWidth(candidate) <= width {
                    current = candidate
                    continue
                }
                if !current.isEmpty { out.append(current) }
                var rest = indent + word
                while displayWidth(rest) > width {
                    out.append(String(rest.prefix(width)))
                    rest = indent + rest.dropFirst(width)
                }
                current = rest
            }
            if !current.isEmpty { out.append(current) }
        }
        return out
    }
}
