/// Where an alert another system holds came from: Prometheus' rules or Alertmanager's
/// list, at an instance (`10.0.0.5:9090`). This dashboard's own alerts have none.
public struct AlertOrigin: Sendable, Hashable, CustomStringConvertible {
    public enum System: String, Sendable, Hashable {
        case prometheus, alertmanager
    }

    public var system: System
    public var instance: String

    public init(_ system: System, _ instance: String) {
        self.system = system
        self.instance = instance
    }

    /// `prometheus 10.0.0.5:9090`, as the pane's detail and the log say it.
    public var description: String { "\(system.rawValue) \(instance)" }

    /// The Alerts pane's mark: `PROM` or `AM`.
    public var badge: String { system == .prometheus ? "PROM" : "AM" }
}
