import Foundation

/// A throwaway home for one test: XDG config, state and data in one temporary directory,
/// optionally with `HostUp`, a rule that fires on every evaluation (each second).
struct TestHome {
    let dir: URL

    init(_ label: String, hostUp severity: String? = nil, summary: String = "the host answers") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(label)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("watchbill/rules"), withIntermediateDirectories: true)
        guard let severity else { return }
        try """
            groups:
              - name: demo
                interval: 1s
                rules:
                  - alert: HostUp
                    expr: node_load1 >= 0
                    labels: {severity: \(severity)}
                    annotations: {summary: "\(summary)", runbook_url: host-up.md}
            """.write(to: dir.appendingPathComponent("watchbill/rules/demo.yml"), atomically: true, encoding: .utf8)
    }

    var env: [String: String] {
        ["XDG_DATA_HOME": dir.path, "XDG_STATE_HOME": dir.path, "XDG_CONFIG_HOME": dir.path, "USER": "oncall"]
    }

    func file(_ path: String) -> String { (try? String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)) ?? "" }

    func write(_ path: String, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}
