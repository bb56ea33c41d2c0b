import WatchbillIncidents
import WatchbillRules

extension Severity {
    /// An alert's `severity` label: P0 to P3 or a team's word for one (`critical` pages);
    /// without one, or with a word Watchbill does not know, it counts as P3 (shown, never
    /// paging), and the label is shown as written.
    public init(label: String?) {
        self = label.flatMap { Severity(teamLabel: $0) } ?? .p3
    }

    public static func of(_ labels: Labels) -> Severity { Severity(label: labels["severity"]) }
    public static func of(_ labels: [String: String]) -> Severity { Severity(label: labels["severity"]) }

    /// P0 and P1 page someone: the bell, the wall banner, auto-opened incidents.
    public var pages: Bool { self <= .p1 }

    /// How an alert or an incident of this severity is drawn.
    var role: Role {
        switch self {
        case .p0, .p1: return .critical
        case .p2: return .warn
        case .p3: return .text
        }
    }
}
