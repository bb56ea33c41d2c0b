import WatchbillCore
import WatchbillIncidents
import WatchbillRules
import WatchbillYAML

/// An alerting rule as loaded from a file, with what the engine and the Alerts pane need.
public struct LoadedRule: Sendable, Equatable {
    public var rule: AlertRule
    /// The expression as written, for the alert's detail view.
    public var exprText: String
    /// Where the rule starts, for messages about it.
    public var line: Int
}

public struct RuleGroup: Sendable, Equatable {
    public var name: String
    /// Seconds between evaluations; nil: the engine's default.
    public var interval: Double?
    public var rules: [LoadedRule]
    /// The group's recording rules, in order.
    public var recordings: [RecordingRule] = []
    /// Recording and alerting rules in the file's order, as the engine runs them.
    public var order: [AlertEngine.Group.Step] = []

    /// "2 groups, 17 rules (15 alerting, 2 recording)", counted as promtool counts rules.
    public static func summary(_ groups: [RuleGroup]) -> String {
        let alerts = groups.reduce(0) { $0 + $1.rules.count }, recordings = groups.reduce(0) { $0 + $1.recordings.count }
        let split = recordings == 0 ? "" : " (\(alerts) alerting, \(recordings) recording)"
        return "\(groups.count) group\(groups.count == 1 ? "" : "s"), \(alerts + recordings) rule\(alerts + recordings == 1 ? "" : "s")\(split)"
    }

    /// Groups run one after another as one, the way `promtool test rules` evaluates every
    /// group of its rule files at each step.
    public static func merged(_ groups: [RuleGroup], name: String) -> RuleGroup {
        var out = RuleGroup(name: name, interval: nil, rules: [])
        for g in groups {
            let (rules, recordings) = (out.rules.count, out.recordings.count)
            out.order += g.order.map {
                switch $0 {
                case .record(let i): return .record(recordings + i)
                case .alert(let i): return .alert(rules + i)
                }
            }
            out.rules += g.rules
            out.recordings += g.recordings
        }
        return out
    }
}

/// Prometheus rule files, so one file runs in Watchbill on a host and in Prometheus for
/// the fleet:
///
/// ```yaml
/// groups:
///   - name: host
///     interval: 15s
///     rules:
///       - alert: DiskAlmostFull
///         expr: (1 - node_filesystem_avail_bytes / node_filesystem_size_bytes) > 0.9
///         for: 5m
///         keep_firing_for: 10m
///         labels: {severity: P2}
///         annotations:
///           summary: "{{ $labels.mountpoint }} is {{ $value | humanizePercentage }} full"
///           runbook_url: disk-full.md
/// ```
///
/// Errors name file, line and column, including those inside `expr` (its own position is
/// added to the expression's). Recording rules and an expression Prometheus would refuse are
/// errors; a rule without a severity label, with a severity Watchbill cannot place among P0
/// to P3 (`critical`, `warning`, `info` and the like it can), or without a `runbook_url`
/// annotation loads with a warning.
public enum RuleFile {
    static let groupKeys = ["name", "interval", "rules", "limit"]
    static let ruleKeys = ["alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"]

    public static func parse(_ text: String, file: String) throws -> (groups: [RuleGroup], warnings: [String]) {
        let root: Node?
        do {
            root = try YAML.compose(text)
        } catch let error as YAMLError {
            throw ConfigFile.notYAML(error, text: text, file: file)
        }
        guard let root, !ConfigReader.isNull(root) else { return ([], []) }
        let r = ConfigReader(file: file, environment: [:])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var warnings: [String] = []
        var groups: [RuleGroup] = []
        var names: [String: Int] = [:]
        // Rules by name and labels, as promtool's duplicate lint compares them.
        var seen: [String: [Int]] = [:], seenOrder: [String] = []
        func note(_ name: String, _ labels: [String: String], line: Int) {
            let key = name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
            if seen[key] == nil { seenOrder.append(key) }
            seen[key, default: []].append(line)
        }
        for section in try r.entries(of: root, in: "a rule file", allowed: ["groups"], word: "section") {
            guard let list = section.value.sequence else { throw r.fail(section.value, "'groups' must be a list") }
            for g in list {
                var group = RuleGroup(name: "", interval: nil, rules: [])
                for e in try r.entries(of: g, in: "a group", allowed: groupKeys) {
                    switch e.name {
                    case "name": group.name = try r.string(e.value, key: "name") ?? ""
                    case "interval": group.interval = try r.duration(e.value, key: "interval", positive: true)?.seconds
                    case "limit": break
                    default:
                        // `rules:` with nothing after it is an empty list to Prometheus.
                        if let plain = e.value.scalar, ["", "~", "null", "Null", "NULL"].contains(plain.string) { continue }
                        guard let rules = e.value.sequence else { throw r.fail(e.value, "'rules' must be a list") }
                        for node in rules {
                            if let recording = try Self.recording(node, reader: r, lines: lines) {
                                note(recording.name, recording.labels, line: node.mark?.line ?? 1)
                                group.order.append(.record(group.recordings.count))
                                group.recordings.append(recording)
                                continue
                            }
                            let (rule, warning) = try Self.rule(node, reader: r, lines: lines)
                            if let warning { warnings.append(warning) }
                            note(rule.rule.name, rule.rule.labels, line: rule.line)
                            group.order.append(.alert(group.rules.count))
                            group.rules.append(rule)
                        }
                    }
                }
                guard !group.name.isEmpty else { throw r.fail(g, "a group needs a name") }
                if let first = names[group.name] {
                    throw r.fail(g, "group '\(group.name)' is defined twice (first on line \(first))")
                }
                names[group.name] = g.mark?.line ?? 1
                groups.append(group)
            }
        }
        for key in seenOrder {
            guard let lines = seen[key], lines.count > 1 else { continue }
            let name = key[..<key.firstIndex(of: "{")!]
            warnings.append("\(file):\(lines[0]): rule \(name) is defined \(lines.count) times with the same labels (lines \(lines.map(String.init).joined(separator: ", "))): their series or alerts cannot be told apart")
        }
        return (groups, warnings)
    }

    /// A `record:` rule (nil for an alerting one): a valid metric name, an expression, labels;
    /// `for`, `keep_firing_for` and annotations are refused, as promtool refuses them.
    static func recording(_ node: Node, reader r: ConfigReader, lines: [String]) throws -> RecordingRule? {
        guard let mapping = node.mapping, let nameNode = mapping["record"] else { return nil }
        func isMetricName(_ n: String) -> Bool {
            guard let first = n.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" || first == ":" else { return false }
            return n.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":") }
        }
        guard let name = try r.string(nameNode, key: "record"), isMetricName(name) else {
            throw r.fail(nameNode, "invalid recording rule name: \(nameNode.string ?? "")")
        }
        for (key, _) in mapping {
            guard let k = key.string, ["record", "expr", "labels"].contains(k) else {
                throw r.fail(key, "invalid field '\(key.string ?? "")' in recording rule \(name)")
            }
        }
        guard let exprNode = mapping["expr"], let text = try r.string(exprNode, key: "expr") else {
            throw r.fail(node, "recording rule \(name) has no expr")
        }
        do {
            let expr = try Parser.parse(text)
            let labels = try mapping["labels"].map { try r.stringMap($0, key: "labels") } ?? [:]
            return RecordingRule(name: name, expr: expr, labels: labels, exprText: text)
        } catch let error as ExprError {
            let at = position(of: error.at, in: exprNode, lines: lines)
            throw SourceError(file: r.file, line: at.line, column: at.column, cause: "in \(name): \(error.cause)")
        }
    }

    static func rule(_ node: Node, reader r: ConfigReader, lines: [String]) throws -> (LoadedRule, String?) {
        var name: String?
        var exprNode: Node?
        var holdFor = 0.0, keep = 0.0
        var labels: [String: String] = [:], annotations: [String: String] = [:]
        for e in try r.entries(of: node, in: "a rule", allowed: ruleKeys) {
            switch e.name {
            case "alert": name = try r.string(e.value, key: "alert")
            case "expr": exprNode = e.value
            case "for": holdFor = try r.duration(e.value, key: "for", positive: false)?.seconds ?? 0
            case "keep_firing_for": keep = try r.duration(e.value, key: "keep_firing_for", positive: false)?.seconds ?? 0
            case "labels":
                labels = try r.stringMap(e.value, key: "labels")
                // Label values are templates too (Prometheus renders them for each series).
                if let mapping = e.value.mapping {
                    for (key, value) in mapping where (value.string ?? "").contains("{{") {
                        do { _ = try Template(value.string ?? "") } catch let error as ExprError {
                            throw r.fail(value, "label \(key.string ?? ""): \(error.cause)")
                        }
                    }
                }
            default:
                for a in try r.entries(of: e.value, in: "annotations", allowed: nil) {
                    let text = try r.string(a.value, key: "annotation '\(a.name)'") ?? ""
                    do {
                        _ = try Template(text)
                    } catch let error as ExprError {
                        throw r.fail(a.value, "annotation \(a.name): \(error.cause)")
                    }
                    annotations[a.name] = text
                }
            }
        }
        let line = node.mark?.line ?? 1
        guard let name, !name.isEmpty else { throw r.fail(node, "a rule needs 'alert: Name'") }
        guard let exprNode, let text = try r.string(exprNode, key: "expr") else {
            throw r.fail(node, "rule \(name) has no expr")
        }
        let expr: Expr
        do {
            expr = try Parser.parse(text)
        } catch let error as ExprError {
            let at = position(of: error.at, in: exprNode, lines: lines)
            throw SourceError(file: r.file, line: at.line, column: at.column, cause: "in \(name): \(error.cause)")
        }
        var warning: String?
        if let s = labels["severity"], Severity(teamLabel: s) == nil {
            warning = "\(r.file):\(line): rule \(name): severity '\(s)' is none of P0 to P3, critical, page, error, warning, info, none or the config's severities; it counts as P3"
        } else if labels["severity"] == nil {
            warning = "\(r.file):\(line): rule \(name) has no severity label; it counts as P3"
        } else if (annotations["runbook_url"] ?? "").isEmpty {
            warning = "\(r.file):\(line): rule \(name) has no runbook_url annotation"
        }
        let rule = AlertRule(name: name, expr: expr, holdFor: holdFor, keepFiringFor: keep, labels: labels,
                             annotations: annotations, exprText: text, source: "\(r.file):\(line)")
        return (LoadedRule(rule: rule, exprText: text, line: line), warning)
    }

    /// Maps a position inside the expression text to the file: on the key's line for an
    /// inline value (after its opening quote), from the next line on for a `|` or `>` block.
    static func position(of at: SourcePosition, in node: Node, lines: [String]) -> (line: Int, column: Int) {
        guard let mark = node.mark, let scalar = node.scalar else { return (at.line, at.column) }
        switch scalar.style {
        case .literal, .folded:
            // The block's indentation is its first content line's.
            let text = mark.line < lines.count ? lines[mark.line] : ""
            let indent = text.prefix { $0 == " " }.count
            return (mark.line + at.line, indent + at.column)
        case .singleQuoted, .doubleQuoted:
            return (mark.line + at.line - 1, at.line == 1 ? mark.column + at.column : at.column)
        default:
            return (mark.line + at.line - 1, at.line == 1 ? mark.column + at.column - 1 : at.column)
        }
    }
}
