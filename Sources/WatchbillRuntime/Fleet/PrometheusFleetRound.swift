import WatchbillCore
import WatchbillFleet
import WatchbillScreen

/// One refresh of the fleet from Prometheus: the column queries and the CPU history asked
/// in one batch, their answers made into hosts and table rows. A query that fails empties
/// its column and is named; without `up` Prometheus cannot say which hosts there are.
public struct PrometheusFleetRound: Sendable, Equatable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var column: PrometheusFleet.Column
        public var cause: String
        public init(_ column: PrometheusFleet.Column, _ cause: String) {
            self.column = column
            self.cause = cause
        }
        /// `cpu: timeout`.
        public var description: String { "\(column): \(cause)" }
    }

    public var hosts: [PrometheusFleet.Host]
    public var problems: [Problem]

    /// `up` did not answer: the hosts are unknown this round, not down.
    public var sourceDown: Bool { problems.contains { $0.column == .up } }
    /// What the log and the table's badge say: `up: refused; cpu: timeout`.
    public var problemText: String? { problems.isEmpty ? nil : problems.map(\.description).joined(separator: "; ") }

    /// The batch: one instant query a column, then two minutes of CPU at the refresh step.
    public static func requests(_ fleet: PrometheusFleet, base: String, interval: Double, now: Double, headers: [Header],
                                timeout: Double) -> [FetchRequest] {
        let range = PrometheusAPI.rangePath(fleet.cpuHistoryQuery, start: (now - interval * 24).rounded(.down),
                                            end: now.rounded(.down), step: interval)
        return fleet.queries.map { FetchRequest(url: base + PrometheusAPI.queryPath($0), headers: headers,
                                                timeout: timeout, accept: "application/json") }
            + [FetchRequest(url: base + range, headers: headers, timeout: timeout, accept: "application/json")]
    }

    /// The answers to `requests`, in their order.
    public init(_ fleet: PrometheusFleet, answers results: [FetchResult]) {
        var answers: [[PrometheusAPI.Sample]] = [], problems: [Problem] = []
        for (column, result) in zip(PrometheusFleet.Column.allCases, results) {
            do {
                answers.append(try PrometheusAPI.vector(result))
            } catch {
                answers.append([])
                problems.append(Problem(column, "\(error)"))
            }
        }
        // Fewer answers than columns (a batch cut short) is every missing column failing.
        for column in PrometheusFleet.Column.allCases.dropFirst(answers.count) {
            answers.append([])
            problems.append(Problem(column, "no answer"))
        }
        let history = results.count > PrometheusFleet.Column.allCases.count
            ? results.last.flatMap { try? PrometheusAPI.matrix($0) } ?? [] : []
        self.init(hosts: fleet.hosts(answers, cpuHistory: history), problems: problems)
    }

    public init(hosts: [PrometheusFleet.Host], problems: [Problem]) {
        self.hosts = hosts
        self.problems = problems
    }

    /// The hosts as the table's rows, `age` seconds after Prometheus last answered `up`.
    /// Prometheus out: what was up is STALE (it may be fine), what was down stays DOWN.
    public static func rows(_ hosts: [PrometheusFleet.Host], problems: [Problem], age: Double?) -> [FleetRow] {
        let outage = problems.first { $0.column == .up }
        let text = problems.map(\.description).joined(separator: "; ")
        return hosts.map { h in
            let status: FleetRow.Status = !h.up ? .down("prometheus says up = 0")
                : outage != nil ? .stale("prometheus: \(text)") : .up
            return FleetRow(id: h.instance, name: h.name, status: status, cpu: h.cpu, memory: h.memory, worstDisk: h.worstDisk,
                            rx: h.rx, tx: h.tx, alerts: nil,
                            cpuHistory: GraphData(values: h.cpuHistory, endIndex: h.cpuHistory.count), age: age)
        }
    }
}
