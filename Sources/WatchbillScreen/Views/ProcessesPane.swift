import WatchbillCore

/// The processes behind the numbers: a sortable, filterable table (or tree) with the
/// selection, the followed PID, and the confirmation line for signals.
enum ProcessesPane {
    static func render(_ model: ProcessesPaneModel, focused: Bool, into grid: inout Grid, area: Rect) {
        let view = model.view
        let g = model.glyphs
        let all = model.all
        let rows = model.rows
        var flags: [String] = ["by \(view.sort.title)\(view.descending ? g.arrowDown : g.arrowUp)"]
        if view.tree { flags.append("tree") }
        if let pid = view.followPID { flags.append("following \(pid)") }
        let count = all.map { rows.count == $0.count ? "\($0.count)" : "\(rows.count) of \($0.count)" } ?? ""
        let inner = Box(title: "Processes" + (count.isEmpty ? "" : " " + count), focused: focused,
                        badge: flags.joined(separator: "  ")).render(into: &grid, area: area, glyphs: g)
        guard inner.height > 0, inner.width > 0 else { return }
        guard let all else {
            DashboardView.unavailable(model.missing, into: &grid, row: inner.row(0))
            return
        }
        var (tableArea, statusRow) = inner.splitBottom(1)
        if tableArea.height < 2 { (tableArea, statusRow) = (inner, Rect(x: 0, y: 0, width: 0, height: 0)) }
        renderStatus(model, into: &grid, row: statusRow)
        if rows.isEmpty {
            DashboardView.unavailable(all.isEmpty ? "no processes" : "no process matches \"\(view.filter)\"",
                                      into: &grid, row: tableArea.row(1))
        }
        let selected = ProcessList.selection(rows, view)
        let visible = max(0, tableArea.height - 1)
        // Keep the selection on screen: scroll so it sits in the window.
        let top = selected.map { max(0, min($0 - visible / 2, rows.count - visible)) } ?? 0
        let shown = rows.dropFirst(top).prefix(visible)
        let uptime = model.uptime
        let table = Table(columns: columns(view.sort), rows: shown.map { row(for: $0, uptime: uptime, glyphs: g) })
        table.render(into: &grid, area: tableArea, glyphs: g)
        if let selected, selected >= top, selected < top + visible, focused {
            let y = tableArea.y + 1 + selected - top
            for x in tableArea.x..<tableArea.maxX {
                var c = grid[x, y]
                c.style.reverse = true
                grid[x, y] = c
            }
        }
    }

    static func columns(_ sort: ProcessSortKey) -> [Table.Column] {
        func title(_ k: ProcessSortKey) -> String { k == sort ? k.title + "*" : k.title }
        return [
            Table.Column(title(.command), width: 20, .left), Table.Column(title(.pid), width: 7),
            Table.Column(title(.user), width: 8, .left), Table.Column(title(.state), width: 2),
            Table.Column(title(.cpu), width: 6), Table.Column(title(.memory), width: 5),
            Table.Column("RSS", width: 5), Table.Column(title(.read), width: 8), Table.Column(title(.write), width: 8),
            Table.Column(title(.unit), width: 19, .left), Table.Column(title(.threads), width: 4),
            Table.Column(title(.age), width: 9),
        ]
    }

    static func row(for r: ProcessRow, uptime: Double?, glyphs: GlyphSet) -> Table.Row {
        let p = r.process
        let indent = r.depth == 0 ? "" : String(repeating: "  ", count: r.depth - 1) + (glyphs.asciiOnly ? "`-" : "└ ")
        let cpu = p.cpuFraction
        let stateRole: Role = p.sample.state == "Z" || p.sample.state == "D" ? .warn : .text
        let cells = [
            indent + p.sample.commandLine, String(p.sample.pid), p.user, String(p.sample.state),
            cpu.map { Format.fixed($0 * 100, 1) } ?? "-", Format.fixed(p.memoryFraction * 100, 1),
            Format.bytes(p.sample.residentBytes),
            p.readBytesPerSecond.map(Format.rate) ?? (p.sample.readBytes == nil ? "n/a" : "-"),
            p.writeBytesPerSecond.map(Format.rate) ?? (p.sample.writtenBytes == nil ? "n/a" : "-"),
            p.unit, String(p.sample.threads), Format.duration(uptime.map { max(0, $0 - p.startedAfterBoot) }),
        ]
        let roles: [Role] = [p.sample.isKernelThread ? .muted : .text, .muted, .text, stateRole,
                             severityRole(cpu, warn: 0.5, critical: 0.9), .text, .text, .text, .text,
                             .muted, .text, .muted]
        return Table.Row(cells, roles: roles)
    }

    /// The bottom line: the filter being typed, a pending confirmation, or the last outcome.
    static func renderStatus(_ model: ProcessesPaneModel, into grid: inout Grid, row: Rect) {
        guard row.height > 0 else { return }
        let view = model.view
        if let pending = view.confirm {
            let text = "Send \(pending.signalName) to \(pending.description)? y to send, any other key cancels"
            grid.text(Format.clip(text, row.width, ellipsis: model.glyphs.ellipsis), x: row.x, y: row.y,
                      style: Style(.critical, bold: true, reverse: true))
        } else if let editing = view.editingFilter {
            grid.text("filter: " + editing + "_", x: row.x, y: row.y, style: Style(.title, bold: true), limit: row.maxX)
        } else if let message = view.message {
            grid.text(message, x: row.x, y: row.y, style: Style(.warn), limit: row.maxX)
        } else {
            let filter = view.filter.isEmpty ? "" : "filter \"\(view.filter)\"  "
            grid.text(filter + "t processes  / filter  < > sort  T tree  f follow  K term  X kill", x: row.x, y: row.y,
                      style: Style(.muted), limit: row.maxX)
        }
    }
}
