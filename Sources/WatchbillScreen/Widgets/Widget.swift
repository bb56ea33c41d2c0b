/// What every widget is: a value that draws itself into a rectangle of a grid, clipped to
/// that rectangle, and nowhere else. Some say what they did (a box its inner area, a table
/// the rows it drew); the rest return nothing.
public protocol Widget {
    associatedtype Drawn = Void
    @discardableResult
    func render(into grid: inout Grid, area: Rect, glyphs: GlyphSet) -> Drawn
}
