/// A bordered pane with a title on the top edge; returns the area inside the border.
public struct Box: Widget {
    public var title: String
    public var focused: Bool
    /// Text on the top edge at the right, such as the current value.
    public var badge: String

    public init(title: String, focused: Bool = false, badge: String = "") {
        self.title = title
        self.focused = focused
        self.badge = badge
    }

    @discardableResult
    public func render(into grid: inout Grid, area: Rect, glyphs: GlyphSet) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        let border = Style(focused ? .focusedBorder : .border, bold: focused)
        let x0 = area.x, x1 = area.maxX - 1, y0 = area.y, y1 = area.maxY - 1
        grid.fill(Rect(x: x0 + 1, y: y0, width: area.width - 2, height: 1), with: glyphs.horizontal, style: border)
        grid.fill(Rect(x: x0 + 1, y: y1, width: area.width - 2, height: 1), with: glyphs.horizontal, style: border)
        grid.fill(Rect(x: x0, y: y0 + 1, width: 1, height: area.height - 2), with: glyphs.vertical, style: border)
        grid.fill(Rect(x: x1, y: y0 + 1, width: 1, height: area.height - 2), with: glyphs.vertical, style: border)
        grid.put(glyphs.topLeft, x: x0, y: y0, style: border)
        grid.put(glyphs.topRight, x: x1, y: y0, style: border)
        grid.put(glyphs.bottomLeft, x: x0, y: y1, style: border)
        grid.put(glyphs.bottomRight, x: x1, y: y1, style: border)
        let inner = area.inset(by: 1)
        grid.fill(inner)
        if area.width > 4 {
            let t = Format.clip(title, area.width - 4, ellipsis: glyphs.ellipsis)
            let end = grid.text(" " + t + " ", x: x0 + 1, y: y0, style: Style(.title, bold: true), limit: x1)
            if !badge.isEmpty, x1 - end > displayWidth(badge) + 3 {
                grid.textRight(" " + badge + " ", right: x1 - 1, y: y0, style: Style(.text, bold: true))
            }
        }
        return inner
    }
}
