import WatchbillRules

/// How alerts read in every alert view, so the pane, the detail and the banner agree.
enum AlertFormat {
    static func phaseWord(_ p: AlertPhase) -> String {
        switch p {
        case .firing: return "FIRING"
        case .pending: return "pending"
        case .resolved: return "resolved"
        }
    }

    static func phaseRole(_ item: AlertItem) -> Role {
        if item.suppressed { return .muted }
        switch item.phase {
        case .firing: return item.severity.role
        case .pending: return .warn
        case .resolved: return .ok
        }
    }

    /// `45s`, `12m`, `3h05m`, `2d04h`: how long ago, to the precision a responder needs.
    static func age(_ seconds: Double) -> String {
        // A year is as far as an age needs to say; beyond it (a damaged journal) Int() would trap.
        guard seconds.isFinite else { return "-" }
        let s = Int(min(max(0, seconds), 400 * 86_400))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h\(two(s % 3600 / 60))m" }
        return "\(s / 86_400)d\(two(s % 86_400 / 3600))h"
    }

    /// How long the alert has been in its state: firing since it fired, else since active.
    static func age(of item: AlertItem, now: Double) -> String {
        age(now - (item.phase == .resolved ? item.resolvedAt ?? item.lastSeen : item.firedAt ?? item.activeAt))
    }

    /// Four significant digits as a plain number (`0.934`, `12.5`, `1234`); SI prefixes
    /// from ten thousand up (`25.28G`), where digits stop being readable.
    static func value(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 10_000, abs(v) >= 0.001 || v == 0 else { return Template.humanize(v) }
        var decimals = 3
        var magnitude = abs(v)
        while magnitude >= 10 && decimals > 0 {
            magnitude /= 10
            decimals -= 1
        }
        var s = Format.fixed(v, decimals)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// `mountpoint=/var device=sda1`: values without quotes, for narrow columns.
    static func labels(_ l: Labels) -> String {
        l.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }

    /// The label names whose values tell the listed alerts apart: a label some alerts lack,
    /// or that holds more than one value among those of the same rule.
    static func differing(_ list: [AlertItem]) -> Set<String> {
        var result: Set<String> = []
        for group in Dictionary(grouping: list, by: \.name).values where group.count > 1 {
            let names = Set(group.flatMap { $0.keyLabels.pairs.map(\.name) })
            for name in names where Set(group.map { $0.labels[name] ?? "" }).count > 1 { result.insert(name) }
        }
        return result
    }

    /// An alert's labels in the order a narrow column should keep them: those that tell it
    /// from its neighbours first, then the short ones (`probe=api` says more than a URL).
    static func telling(_ l: Labels, first: Set<String>) -> String {
        l.pairs.enumerated().sorted { a, b in
            let (ka, kb) = (first.contains(a.element.name), first.contains(b.element.name))
            if ka != kb { return ka }
            let (la, lb) = (a.element.name.count + a.element.value.count, b.element.name.count + b.element.value.count)
            return la != lb ? la < lb : a.offset < b.offset
        }.map { "\($0.element.name)=\($0.element.value)" }.joined(separator: " ")
    }

    /// `ACK`, `SIL`, and where a remote alert comes from (`PROM`, `AM`).
    static func marks(_ item: AlertItem) -> String {
        let from = item.origin?.badge
        return [item.acknowledgement != nil ? "ACK" : nil, item.suppressed ? "SIL" : nil, from].compactMap { $0 }.joined(separator: " ")
    }
}
