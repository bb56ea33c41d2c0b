/// A series' identity: label names to values, `__name__` for the metric name. Kept sorted
/// by name so two label sets compare and hash the same whatever order they were built in.
public struct Labels: Hashable, Sendable, CustomStringConvertible {
    public private(set) var pairs: [(name: String, value: String)]

    public init(_ dict: [String: String] = [:]) {
        pairs = dict.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public subscript(name: String) -> String? {
        get { pairs.first { $0.name == name }?.value }
        set {
            pairs.removeAll { $0.name == name }
            if let v = newValue, !v.isEmpty {
                pairs.append((name, v))
                pairs.sort { $0.name < $1.name }
            }
        }
    }

    public var metricName: String? { self["__name__"] }

    public func dropping(_ names: Set<String>) -> Labels {
        var l = self
        l.pairs.removeAll { names.contains($0.name) }
        return l
    }

    public func keeping(_ names: Set<String>) -> Labels {
        var l = self
        l.pairs.removeAll { !names.contains($0.name) }
        return l
    }

    public var withoutName: Labels { dropping(["__name__"]) }

    public static func == (a: Labels, b: Labels) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into h: inout Hasher) {
        for p in pairs {
            h.combine(p.name)
            h.combine(p.value)
        }
    }

    /// `metric{a="1", b="2"}`, as Prometheus prints a series.
    public var description: String {
        let rest = pairs.filter { $0.name != "__name__" }.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ")
        return (metricName ?? "") + "{" + rest + "}"
    }
}

/// One label matcher of a selector: `job="api"`, `mountpoint!="/boot"`, `device=~"sd.*"`.
public struct LabelMatcher: Sendable, Equatable {
    public enum Kind: String, Sendable { case equal = "=", notEqual = "!=", regex = "=~", notRegex = "!~" }

    public var name: String
    public var kind: Kind
    public var value: String
    let pattern: AnchoredPattern?

    public init(_ name: String, _ kind: Kind, _ value: String) throws {
        self.name = name
        self.kind = kind
        self.value = value
        pattern = kind == .regex || kind == .notRegex ? try AnchoredPattern(value) : nil
    }

    /// An absent label matches as the empty string, as in Prometheus.
    public func matches(_ labels: Labels) -> Bool {
        let v = labels[name] ?? ""
        switch kind {
        case .equal: return v == value
        case .notEqual: return v != value
        case .regex: return pattern!.matches(v)
        case .notRegex: return !pattern!.matches(v)
        }
    }

    public static func == (a: LabelMatcher, b: LabelMatcher) -> Bool {
        a.name == b.name && a.kind == b.kind && a.value == b.value
    }
}

/// A regex that must match the whole value, as PromQL's are (`=~"sd.*"` is `^(?:sd.*)$`).
/// The common shapes (a list of names, `prefix.*`, `.*`) are matched without the regex
/// engine: they are most of what rules write, and Swift's regex runtime costs megabytes of
/// resident memory and microseconds a match.
struct AnchoredPattern: @unchecked Sendable {
    enum Fast: Sendable {
        case anyOf(Set<String>)
        case prefix(String)
        case anything
    }

    let fast: Fast?
    let regex: Regex<AnyRegexOutput>?

    init(_ pattern: String) throws {
        fast = AnchoredPattern.fastForm(pattern)
        if fast != nil {
            regex = nil
            // Still a load error when the pattern is not a regex at all.
            return
        }
        do {
            regex = try Regex("^(?:" + pattern + ")$")
        } catch {
            throw RegexError(pattern: pattern)
        }
    }

    /// `a|b|c` of plain names, `prefix.*` and `.*`; nil for anything with other metacharacters.
    static func fastForm(_ p: String) -> Fast? {
        if p == ".*" { return .anything }
        let meta = Set("\\^$.|?*+()[]{}")
        if p.hasSuffix(".*") {
            let head = p.dropLast(2)
            return head.contains(where: meta.contains) ? nil : .prefix(String(head))
        }
        let words = p.split(separator: "|", omittingEmptySubsequences: false)
        guard words.allSatisfy({ !$0.contains(where: meta.contains) }) else { return nil }
        return .anyOf(Set(words.map(String.init)))
    }

    func matches(_ s: String) -> Bool {
        switch fast {
        case .anyOf(let set)?: return set.contains(s)
        case .prefix(let head)?: return s.hasPrefix(head)
        case .anything?: return true
        case nil: return (try? regex!.wholeMatch(in: s)) != nil
        }
    }

    struct RegexError: Error { var pattern: String }
}
