import WatchbillIncidents
/// Something firing that a wall display must shout about: a P0 or P1.
public struct FiringAlert: Sendable, Equatable {
    public var severity: Severity
    public var text: String

    public init(severity: Severity, text: String) {
        self.severity = severity
        self.text = text
    }
}

/// The top of a wall display: a severity banner while a P0 or P1 fires (or STALE when data
/// stopped), otherwise a quiet status line, and a clock big enough to read across a room.
enum WallStrip {
    static let height = 5

    /// Whether the strip fits; below this the wall display is the ordinary dashboard.
    static func fits(width: Int, height: Int) -> Bool { width >= 80 && height >= 30 }

    static func render(_ state: AppState, into grid: inout Grid, area: Rect) {
        let clock = String(state.clock.prefix(5))  // HH:MM: seconds would repaint the strip every second
        let clockWidth = BigText.width(clock)
        let bannerArea = Rect(x: area.x, y: area.y, width: max(0, area.width - clockWidth - 2), height: area.height)
        BigText(clock, style: Style(.title, bold: true))
            .render(into: &grid, area: Rect(x: area.maxX - clockWidth, y: area.y, width: clockWidth, height: area.height), glyphs: state.glyphs)
        let firing = state.firing.filter { $0.severity.pages }
        if !firing.isEmpty {
            let worst = firing.map(\.severity).min() ?? .p1
            let banner = Style(.critical, bold: true, reverse: true)
            grid.fill(bannerArea, style: banner)
            let title = " \(worst) FIRING: \(firing.count) " + (firing.count == 1 ? "alert" : "alerts")
            grid.text(title, x: bannerArea.x, y: bannerArea.y + 1, style: banner, limit: bannerArea.maxX)
            for (i, f) in firing.prefix(bannerArea.height - 2).enumerated() {
                grid.text(" \(f.severity)  \(f.text)", x: bannerArea.x, y: bannerArea.y + 2 + i, style: banner,
                          limit: bannerArea.maxX)
            }
        } else if state.isStale {
            let banner = Style(.warn, bold: true, reverse: true)
            grid.fill(bannerArea, style: banner)
            grid.text(" STALE: no new samples for \(Format.duration(state.sampleAge))", x: bannerArea.x,
                      y: bannerArea.y + 2, style: banner, limit: bannerArea.maxX)
        } else {
            let probes = state.data.probes
            let down = probes.filter { $0.isUp == false }.count
            let quiet = probes.isEmpty ? "no P0 or P1 firing" : "no P0 or P1 firing; \(probes.count - down) of \(probes.count) targets up"
            grid.text(quiet, x: bannerArea.x + 1, y: bannerArea.y + 2, style: Style(down > 0 ? .warn : .ok, bold: true),
                      limit: bannerArea.maxX)
            grid.text("layout \(state.layoutName)  read-only", x: bannerArea.x + 1, y: bannerArea.maxY - 1,
                      style: Style(.muted), limit: bannerArea.maxX)
        }
    }
}
