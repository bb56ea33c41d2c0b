import WatchbillRules
import WatchbillScreen

/// Which P0 and P1 alerts started paging since the last look: they ring the bell and, with
/// `incidents: {auto_open: true}`, open incidents. The first look only remembers what is
/// paging: alerts restored at a restart, or already firing when the dashboard started,
/// are not news.
public struct PagingWatch: Sendable, Equatable {
    private var paging: Set<Labels>?

    public init() {}

    /// The alerts in `paging` that were not paging at the last call.
    public mutating func newlyPaging(_ paging: [AlertItem]) -> [AlertItem] {
        let now = Set(paging.map(\.labels))
        defer { self.paging = now }
        guard let before = self.paging else { return [] }
        return paging.filter { !before.contains($0.labels) }
    }
}
