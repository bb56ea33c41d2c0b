import WatchbillCollectors
import WatchbillConfig

/// The panes a user last had on screen, in `$XDG_STATE_HOME/watchbill/layout`, so hiding
/// Disk or pinning Processes survives a restart. Two lines: `panes=cpu,memory,...` and
/// `compact=0|1`. A file that does not parse is ignored (the default layout is used).
public enum LayoutMemory {
    public static var path: String { FileLog.stateDirectory() + "/layout" }

    public static func load() -> (panes: [String], compact: Bool)? {
        guard let bytes = ProcRoot("/").read(path, limit: 4096) else { return nil }
        var panes: [String]?
        var compact = false
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case "panes": panes = parts[1].split(separator: ",").map(String.init)
            case "compact": compact = parts[1] == "1"
            default: return nil
            }
        }
        guard let panes, panes.allSatisfy(LayoutSpec.paneNames.contains) else { return nil }
        return (panes, compact)
    }

    public static func save(panes: [String], compact: Bool) -> String? {
        AtomicFile.write(Array("panes=\(panes.joined(separator: ","))\ncompact=\(compact ? 1 : 0)\n".utf8), to: path)
    }
}
