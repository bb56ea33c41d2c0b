import WatchbillCore

/// The columns the process table can sort by, in the order `<` and `>` step through.
public enum ProcessSortKey: String, CaseIterable, Sendable {
    // In the table's column order, so `>` moves right.
    // (RSS sorts as MEM%; IO/s, reads plus writes, has no column of its own.)
    case command, pid, user, state, cpu, memory, read, write, io, unit, threads, age

    public var title: String {
        switch self {
        case .pid: return "PID"
        case .user: return "USER"
        case .state: return "S"
        case .unit: return "UNIT"
        case .cpu: return "CPU%"
        case .memory: return "MEM%"
        case .read: return "READ/s"
        case .write: return "WRITE/s"
        case .io: return "IO/s"
        case .threads: return "THR"
        case .age: return "UP"
        case .command: return "COMMAND"
        }
    }

    /// Numbers read best largest first; names alphabetically.
    public var descendingByDefault: Bool { ![.pid, .user, .command, .state, .unit].contains(self) }
}

/// A signal the user asked to send, waiting for `y`.
public struct PendingSignal: Equatable, Sendable {
    public var pid: Int32
    /// With the PID, identifies the process: the signal is not sent if the PID was reused.
    public var startTicks: UInt64
    public var signal: Int32
    public var signalName: String
    public var description: String
}

/// What the Processes pane shows and how: sort, filter, tree, the followed PID, selection.
public struct ProcessViewState: Equatable, Sendable {
    public var sort: ProcessSortKey = .cpu
    public var descending = true
    public var filter = ""
    /// The filter being typed after `/` (applied as it is typed); nil when not editing.
    public var editingFilter: String?
    /// The filter before `/`, which Esc puts back.
    public var filterBeforeEditing = ""
    public var selected = 0
    public var followPID: Int32?
    public var tree = false
    public var confirm: PendingSignal?
    /// The outcome of the last signal, shown until the next key.
    public var message: String?

    public init() {}
}

/// One visible row: a process and its depth in tree view.
public struct ProcessRow: Equatable, Sendable {
    public var process: ProcessActivity
    public var depth: Int
    public var isLastChild: Bool
}

/// Filtering, sorting and tree order: pure functions of the scan and the view state.
public enum ProcessList {
    /// The filter as a matcher: a regex when it uses regex syntax and compiles, else a
    /// case-insensitive substring of the command line, user or unit.
    static func matcher(_ filter: String) -> (ProcessActivity) -> Bool {
        guard !filter.isEmpty else { return { _ in true } }
        let needle = filter.lowercased()
        let meta = Set(".*+?[](){}|^$\\")
        if filter.contains(where: { meta.contains($0) }), let re = try? Regex(filter).ignoresCase() {
            return { p in (try? re.firstMatch(in: p.sample.commandLine)) != nil || p.user.contains(re) || p.unit.contains(re) }
        }
        return { p in
            p.sample.commandLine.lowercased().contains(needle) || p.user.lowercased().contains(needle)
                || p.unit.lowercased().contains(needle) || String(p.sample.pid) == filter
        }
    }

    static func less(_ key: ProcessSortKey) -> (ProcessActivity, ProcessActivity) -> Bool {
        switch key {
        case .pid: return { $0.sample.pid < $1.sample.pid }
        case .user: return { $0.user < $1.user }
        case .state: return { $0.sample.state < $1.sample.state }
        case .unit: return { $0.unit < $1.unit }
        case .cpu: return { ($0.cpuFraction ?? -1) < ($1.cpuFraction ?? -1) }
        case .memory: return { $0.sample.residentBytes < $1.sample.residentBytes }
        case .read: return { ($0.readBytesPerSecond ?? -1) < ($1.readBytesPerSecond ?? -1) }
        case .write: return { ($0.writeBytesPerSecond ?? -1) < ($1.writeBytesPerSecond ?? -1) }
        case .io: return { ioRate($0) < ioRate($1) }
        case .threads: return { $0.sample.threads < $1.sample.threads }
        case .age: return { $0.startedAfterBoot > $1.startedAfterBoot }
        case .command: return { $0.sample.commandLine < $1.sample.commandLine }
        }
    }

    /// Storage bytes per second both ways; -1 when unknown, so unknown sorts last.
    static func ioRate(_ p: ProcessActivity) -> Double {
        guard p.readBytesPerSecond != nil || p.writeBytesPerSecond != nil else { return -1 }
        return (p.readBytesPerSecond ?? 0) + (p.writeBytesPerSecond ?? 0)
    }

    /// The rows to show, in order. Ties break by PID so the order is stable between scans.
    public static func rows(_ processes: [ProcessActivity], _ view: ProcessViewState) -> [ProcessRow] {
        let match = matcher(view.filter)
        let base = less(view.sort)
        let ordered: (ProcessActivity, ProcessActivity) -> Bool = { a, b in
            if base(a, b) { return !view.descending }
            if base(b, a) { return view.descending }
            return a.sample.pid < b.sample.pid
        }
        let shown = processes.filter(match)
        guard view.tree else { return shown.sorted(by: ordered).map { ProcessRow(process: $0, depth: 0, isLastChild: false) } }
        // Tree: children under their parent, siblings in sort order. A process whose parent
        // is filtered out or gone is a root.
        let present = Set(shown.map(\.sample.pid))
        var children: [Int32: [ProcessActivity]] = [:]
        var roots: [ProcessActivity] = []
        for p in shown {
            if p.sample.parentPID != p.sample.pid && present.contains(p.sample.parentPID) {
                children[p.sample.parentPID, default: []].append(p)
            } else {
                roots.append(p)
            }
        }
        var out: [ProcessRow] = []
        func visit(_ p: ProcessActivity, depth: Int, last: Bool) {
            out.append(ProcessRow(process: p, depth: depth, isLastChild: last))
            let kids = (children[p.sample.pid] ?? []).sorted(by: ordered)
            for (i, k) in kids.enumerated() { visit(k, depth: depth + 1, last: i == kids.count - 1) }
        }
        for r in roots.sorted(by: ordered) { visit(r, depth: 0, last: false) }
        return out
    }

    /// The selected row index after following and clamping.
    public static func selection(_ rows: [ProcessRow], _ view: ProcessViewState) -> Int? {
        guard !rows.isEmpty else { return nil }
        if let pid = view.followPID, let i = rows.firstIndex(where: { $0.process.sample.pid == pid }) { return i }
        return min(max(0, view.selected), rows.count - 1)
    }
}
