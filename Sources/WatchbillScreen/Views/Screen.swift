/// The whole frame for a state: the pure `render(state) -> Grid` the backend draws and
/// the tests read.
public enum Screen {
    /// The dashboard with four panes needs this much room.
    public static let dashboardMinimum = (width: 70, height: 18)
    /// The fleet table with a few rows.
    public static let fleetMinimum = (width: 40, height: 7)
    /// Below this even the one-line-per-resource compact view does not fit.
    public static let compactMinimum = (width: 24, height: 4)

    /// Panes per row: four on a wide and short wall display, else a 2x2 grid.
    public static func paneColumns(width: Int, height: Int) -> Int {
        width >= 240 && height - 2 < 50 ? 4 : 2
    }

    /// Very tall terminals (wall displays) get a Processes row under the resource panes.
    /// Not below 60 lines: the scan and a changing table cost more CPU and bytes than the
    /// rest of the dashboard together, so an ordinary terminal pays for them only on `t`.
    public static func hasProcessesRow(width: Int, height: Int) -> Bool {
        width >= dashboardMinimum.width && height >= 60 && paneColumns(width: width, height: height) == 2
    }

    /// The panes on screen, row by row: the shown resource panes two to a row (all in one
    /// row on a wide, short wall display; side by side when there are two and room), then
    /// a Processes row when pinned or on a very tall terminal.
    public static func layoutRows(_ state: AppState, width: Int, height fullHeight: Int) -> [[Pane]] {
        let height = hasWallStrip(state, width: width, height: fullHeight) ? fullHeight - WallStrip.height : fullHeight
        guard !state.compact, width >= dashboardMinimum.width, height >= dashboardMinimum.height else { return [] }
        let resources = Pane.resources.filter { state.shownPanes.contains($0) }
        var rows: [[Pane]]
        if paneColumns(width: width, height: height) == 4 || (resources.count == 2 && width >= 120) {
            rows = [resources]
        } else {
            rows = stride(from: 0, to: resources.count, by: 2).map { Array(resources[$0..<min($0 + 2, resources.count)]) }
        }
        if state.hasProbes { rows.append(Pane.services.filter { state.shownPanes.contains($0) }) }
        if state.processesPinned || hasProcessesRow(width: width, height: height) { rows.append([.processes]) }
        if state.alertsRowShown { rows.insert([.alerts], at: 0) }
        return rows.filter { !$0.isEmpty }
    }

    /// A wall display big enough gets the clock and banner strip under the header.
    static func hasWallStrip(_ state: AppState, width: Int, height: Int) -> Bool {
        state.wall && !state.compact && WallStrip.fits(width: width, height: height)
    }

    /// The pane under a cell, for a mouse click; nil outside the panes (header, footer,
    /// compact view, target details).
    public static func pane(at x: Int, _ y: Int, _ state: AppState, width: Int, height: Int) -> Pane? {
        guard !state.compact, !(state.probeView.detail && state.hasProbes), !DashboardView.alertScreenOpen(state),
              width >= dashboardMinimum.width, height >= dashboardMinimum.height else { return nil }
        let top = hasWallStrip(state, width: width, height: height) ? 1 + WallStrip.height : 1
        return DashboardView.paneAreas(state, width: width, height: height, top: top)
            .first { $0.1.contains(x: x, y: y) }?.0
    }

    public static func render(_ state: AppState, width: Int, height: Int) -> Grid {
        var grid = Grid(width: width, height: height)
        grid.ellipsis = state.glyphs.ellipsis.unicodeScalars.first
        if hasWallStrip(state, width: width, height: height) {
            WallStrip.render(state, into: &grid, area: Rect(x: 0, y: 1, width: width, height: WallStrip.height))
            DashboardView.render(state, into: &grid, top: 1 + WallStrip.height)
        } else if (!state.compact && width >= dashboardMinimum.width && height >= dashboardMinimum.height)
                    || (state.fleetTableShown && width >= fleetMinimum.width && height >= fleetMinimum.height) {
            // The fleet table is a list: it needs less room than four panes.
            DashboardView.render(state, into: &grid)
        } else if width >= compactMinimum.width && height >= compactMinimum.height {
            CompactView.render(state, into: &grid)
        } else {
            TooSmallView.render(into: &grid, need: compactMinimum)
        }
        if let form = state.alertView.form { AlertFormView.render(form, state, into: &grid) }
        if state.showHelp { HelpView.render(state, into: &grid) }
        if state.glyphs.asciiOnly { grid.replaceNonASCII() }
        return grid
    }
}

enum TooSmallView {
    static func render(into grid: inout Grid, need: (width: Int, height: Int)) {
        let words = ["terminal", "too small:", "need \(need.width)x\(need.height)"]
        let full = words.joined(separator: " ")
        if displayWidth(full) <= grid.width {
            grid.text(full, x: 0, y: 0, style: Style(.warn, bold: true))
        } else {
            for (i, w) in words.enumerated() { grid.text(w, x: 0, y: i, style: Style(.warn, bold: true)) }
        }
    }
}
