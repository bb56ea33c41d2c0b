/// Runs rule groups over a series source: each group on its own interval, each rule's
/// alerts through `AlertRuleState`. An expression that fails at evaluation (a vector on
/// one side where the data has two matches, say) is reported for its rule and the other
/// rules go on.
public struct AlertEngine: Sendable {
    public struct Group: Sendable {
        public var name: String
        public var interval: Double
        public var rules: [AlertRuleState]
        public var recordings: [RecordingRule]
        /// The order the file gives: each rule sees what the recording rules before it wrote
        /// at this evaluation, and what the ones after it wrote at the last, as in Prometheus.
        public var order: [Step]
        var nextEvaluation: Double?

        public enum Step: Sendable, Equatable {
            case record(Int)
            case alert(Int)
        }

        /// Without an `order`, the recording rules run first.
        public init(name: String, interval: Double, rules: [AlertRule], recordings: [RecordingRule] = [], order: [Step]? = nil) {
            self.name = name
            self.interval = interval
            self.rules = rules.map(AlertRuleState.init)
            self.recordings = recordings
            self.order = order ?? recordings.indices.map(Step.record) + rules.indices.map(Step.alert)
        }
    }

    /// What the recording rules wrote, kept as long as any rule's window reaches back.
    public private(set) var recorded: [Labels: [RangeSeries.Point]] = [:]
    var recordedKeep: Double {
        let windows = groups.flatMap { g in g.rules.map { $0.rule.expr.window + g.interval } + g.recordings.map { $0.expr.window + g.interval } }
        return min(86_400, (windows.max() ?? 0) + 300)
    }

    /// The recorded series, as a source sees them.
    public var recordedSeries: [RangeSeries] { recorded.map { RangeSeries(labels: $0.key, points: $0.value) } }

    /// `base` with what the recording rules wrote beside it: the series as the rules read
    /// them, for an alert's graph and the agent's page.
    public func seriesSource(over base: any SeriesSource) -> any SeriesSource {
        recorded.isEmpty ? base : RecordedOverlay(base: base, recorded: recorded)
    }

    public struct RuleFailure: Sendable, Equatable {
        public var group: String
        public var rule: String
        public var cause: String
    }

    public private(set) var groups: [Group]
    /// The labels a Prometheus scrape would add to this host's series (`job`, `instance`),
    /// from the config; nil: the collection's default, `job="node"` and the host's name.
    public var targetLabels: [String: String]?
    /// Group evaluations so far: a reader can tell whether anything could have changed.
    public private(set) var evaluations = 0

    public init(groups: [Group]) { self.groups = groups }

    /// Evaluates every group that is due at `t` (a group first runs at once); returns the
    /// transitions and the rules whose evaluation failed.
    public mutating func tick(at t: Double, source: SeriesSource) -> (transitions: [AlertTransition], failures: [RuleFailure]) {
        var transitions: [AlertTransition] = []
        var failures: [RuleFailure] = []
        // Trimmed only when something was recorded: most rule sets have no recording rule.
        if !recorded.isEmpty {
            let keep = recordedKeep
            for key in recorded.keys {
                recorded[key]!.removeAll { $0.t < t - keep }
                if recorded[key]!.isEmpty { recorded[key] = nil }
            }
        }
        for g in groups.indices {
            if let next = groups[g].nextEvaluation, t < next { continue }
            // Keep the phase: late ticks do not drift the schedule, skipped ones are not replayed.
            let base = groups[g].nextEvaluation ?? t
            groups[g].nextEvaluation = base + ((t - base) / groups[g].interval).rounded(.down) * groups[g].interval
                + groups[g].interval
            evaluations += 1
            for step in groups[g].order {
                let evaluator = Evaluator(source: RecordedOverlay(base: source, recorded: recorded), defaultStep: groups[g].interval)
                switch step {
                case .record(let r): record(groups[g].recordings[r], group: groups[g].name, evaluator: evaluator, at: t, failures: &failures)
                case .alert(let r): transitions += alert(group: g, rule: r, evaluator: evaluator, at: t, failures: &failures)
                }
            }
        }
        return (transitions, failures)
    }

    private mutating func record(_ rule: RecordingRule, group: String, evaluator: Evaluator, at t: Double, failures: inout [RuleFailure]) {
        do {
            for sample in try RecordingRule.samples(try evaluator.evaluate(rule.expr, at: t)) {
                var labels = sample.labels
                labels["__name__"] = rule.name
                for (k, v) in rule.labels { labels[k] = v }
                recorded[labels, default: []].append(RangeSeries.Point(t, sample.value))
            }
        } catch {
            failures.append(RuleFailure(group: group, rule: rule.name, cause: (error as? ExprError)?.cause ?? "\(error)"))
        }
    }

    private mutating func alert(group g: Int, rule r: Int, evaluator: Evaluator, at t: Double, failures: inout [RuleFailure]) -> [AlertTransition] {
        let rule = groups[g].rules[r].rule
        do {
            let samples: [Sample]
            switch try evaluator.evaluate(rule.expr, at: t) {
            case .vector(let v): samples = v
            case .scalar(let s): samples = s.isNaN ? [] : [Sample(labels: Labels(), value: s)]
            default: throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "the expression is not a vector")
            }
            let transitions = groups[g].rules[r].apply(samples, at: t)
            if rule.queries {
                // As Prometheus does: annotations rendered now, `query` read at this time.
                let query: (String) throws -> [Sample] = { text in
                    try RecordingRule.samples(try evaluator.evaluate(try Parser.parse(text), at: t))
                }
                groups[g].rules[r].render(using: query)
            }
            return transitions
        } catch {
            failures.append(RuleFailure(group: groups[g].name, rule: rule.name, cause: (error as? ExprError)?.cause ?? "\(error)"))
            return []
        }
    }

    /// The rules (alerting and recording) whose answer needs more history than `kept`
    /// seconds, with how much they read: the live engine keeps each series for
    /// `MetricStore.ruleHistory`, so such a rule is evaluated over less than its range and
    /// answers what Prometheus would not.
    public func rulesReading(moreThan kept: Double) -> [(group: String, rule: String, reads: Double)] {
        var found: [(group: String, rule: String, reads: Double)] = []
        for g in groups {
            for r in g.recordings where window(of: r.expr) > kept { found.append((g.name, r.name, window(of: r.expr))) }
            for r in g.rules where window(of: r.rule.expr) > kept { found.append((g.name, r.rule.name, window(of: r.rule.expr))) }
        }
        return found
    }

    /// How long after a start an expression's answer means what it says: its own window,
    /// and for a series a recording rule writes, that rule's window and interval too (a
    /// recorded rate over 5m is not there until 5m of its input is).
    public func window(of expr: Expr) -> Double {
        var known: [String: Double] = [:], inProgress: Set<String> = []
        func reach(_ e: Expr) -> Double {
            var longest = e.window
            for selector in e.selectors {
                let nameMatchers = selector.allMatchers.filter { $0.name == "__name__" }
                for g in groups {
                    for rec in g.recordings where nameMatchers.allSatisfy({ $0.matches(Labels(["__name__": rec.name])) }) {
                        // A rule reading its own series (or a loop of them) adds nothing more.
                        guard !inProgress.contains(rec.name) else { continue }
                        let recorded = known[rec.name] ?? {
                            inProgress.insert(rec.name)
                            defer { inProgress.remove(rec.name) }
                            let w = reach(rec.expr) + g.interval
                            known[rec.name] = w
                            return w
                        }()
                        longest = max(longest, (selector.range ?? 0) + max(0, selector.offset) + recorded)
                    }
                }
            }
            return longest
        }
        return reach(expr)
    }

    /// Recording rules run over the past from `start` to before `end` at each group's
    /// interval, so a restart with its history taken back (the flight recorder) has the
    /// recorded series too, not only the ones it collects.
    public mutating func backfillRecordings(source: SeriesSource, from start: Double, to end: Double) {
        guard start < end else { return }
        for g in groups.indices where !groups[g].recordings.isEmpty {
            // At most one a second back (the samples come no faster), and 100,000 in all.
            let interval = max(1, groups[g].interval)
            let steps = Int(min(100_000, ((end - start) / interval).rounded(.up)))
            var ignored: [RuleFailure] = []
            for k in 0..<steps {
                let t = end - Double(steps - k) * interval
                for case .record(let r) in groups[g].order {
                    let evaluator = Evaluator(source: RecordedOverlay(base: source, recorded: recorded), defaultStep: interval)
                    record(groups[g].recordings[r], group: groups[g].name, evaluator: evaluator, at: t, failures: &ignored)
                }
            }
        }
    }

    /// Every alert not yet forgotten, pending, firing or resolved, with its rule.
    public var alerts: [(rule: AlertRule, alert: ActiveAlert)] {
        groups.flatMap { g in g.rules.flatMap { r in r.alerts.values.map { (r.rule, $0) } } }
    }

    /// Puts back alerts saved before a restart into the rules that still exist. Ones last
    /// seen longer ago than `maxAge` are dropped: after a long outage they would be guesses.
    /// A rule's condition is known again once its longest window has filled since `t`, and
    /// its group has run once more after that.
    public mutating func restore(_ saved: [ActiveAlert], at t: Double, maxAge: Double = 600) {
        for g in groups.indices {
            for r in groups[g].rules.indices {
                let rule = groups[g].rules[r].rule
                groups[g].rules[r].restore(saved.filter { $0.labels["alertname"] == rule.name && t - $0.lastSeen <= maxAge },
                                           knownAfter: t + window(of: rule.expr) + groups[g].interval)
            }
        }
    }
}

/// Pending and firing alerts as text for the state file, one per line, so a restart of a
/// few minutes does not reset a `for` clock or re-page for an alert already sent:
///
///     phase activeAt firedAt|- lastSeen value name="value",name="value"
///
/// Label values are quoted with `\\` and `"` escaped. A line that does not parse is skipped.
public enum AlertStateFile {
    public static func encode(_ alerts: [ActiveAlert]) -> String {
        alerts.filter { $0.phase != .resolved }.sorted { $0.labels.description < $1.labels.description }.map { a in
            // The series' metric name rides as `__name__` (an alert's labels never hold one),
            // for `$labels.__name__` in templates rendered after a restart or by `watchbill alerts`.
            var pairs = a.labels.pairs.map { ($0.name, $0.value) }
            if let name = a.metricName { pairs.insert(("__name__", name), at: 0) }
            let labels = pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
            return "\(a.phase.rawValue) \(a.activeAt) \(a.firedAt.map { "\($0)" } ?? "-") \(a.lastSeen) \(a.value) \(labels)"
        }.joined(separator: "\n") + "\n"
    }

    public static func decode(_ text: String) -> [ActiveAlert] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
            guard f.count == 6, let phase = AlertPhase(rawValue: String(f[0])), phase != .resolved,
                  let active = Double(f[1]), let seen = Double(f[3]), let value = Double(f[4]),
                  var labels = parseLabels(f[5]), plausible(active), plausible(seen) else { return nil }
            let metricName = labels["__name__"]
            labels["__name__"] = nil
            // A time that is not one (NaN, 1e300: damage) is dropped rather than carried on.
            let fired = f[2] == "-" ? nil : Double(f[2]).flatMap { plausible($0) ? $0 : nil }
            var alert = ActiveAlert(labels: labels, phase: phase, value: value, activeAt: active, firedAt: fired,
                                    resolvedAt: nil, lastSeen: seen)
            alert.metricName = metricName
            return alert
        }
    }

    /// A Unix time a state file could really hold.
    static func plausible(_ t: Double) -> Bool { t.isFinite && abs(t) < 1e11 }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\\" || c == "\"" { out.append("\\") }
            if c == "\n" { out += "\\n"; continue }
            out.append(c)
        }
        return out
    }

    static func parseLabels(_ text: Substring) -> Labels? {
        var dict: [String: String] = [:]
        var chars = Array(text)[...]
        while !chars.isEmpty {
            guard let eq = chars.firstIndex(of: "=") else { return nil }
            let name = String(chars[chars.startIndex..<eq])
            chars = chars[(eq + 1)...]
            guard chars.first == "\"" else { return nil }
            chars = chars.dropFirst()
            var value = ""
            var closed = false
            while let c = chars.first {
                chars = chars.dropFirst()
                if c == "\\", let n = chars.first {
                    value.append(n == "n" ? "\n" : n)
                    chars = chars.dropFirst()
                } else if c == "\"" {
                    closed = true
                    break
                } else {
                    value.append(c)
                }
            }
            guard closed, !name.isEmpty else { return nil }
            dict[name] = value
            if chars.first == "," { chars = chars.dropFirst() }
        }
        return Labels(dict)
    }
}
