import Foundation
import Testing
import WatchbillExposition

private let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// The same verdict as Prometheus' own parser (`promtool check metrics`: exit 1 for a parse
/// error, 0 or 3 for a page it reads, lint findings aside) on published pages, edge cases and
/// mutations of a real scrape.
@Suite(.enabled(if: promtool != nil, "promtool is not installed (Debian's prometheus package)"))
struct PromtoolAgreementTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// true when promtool reads the page; nil when it answered something else.
    static func promtoolAccepts(_ page: [UInt8]) throws -> Bool? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promtool-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("page")
        try Data(page).write(to: input)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: promtool!)
        p.arguments = ["check", "metrics"]
        p.standardInput = try FileHandle(forReadingFrom: input)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        switch p.terminationStatus {
        case 0, 3: return true
        case 1: return false
        default: return nil
        }
    }

    static func watchbillAccepts(_ page: [UInt8]) -> Bool {
        (try? Exposition.parse(page, source: "page")) != nil
    }

    static var edgeCases: [String] {
        [
            "", "\n", "   \n", "x 1\n", "x 1", "x 1\n  ", "x 1\n# c", "# HELP\n", "# TYPE\n", "# HELP x\n", "# HELP x \n",
            "# HELP x a\n# HELP x b\n", "# HELP x\n# HELP x b\n", "# TYPE x gauge\n# TYPE x gauge\n", "# TYPE x untyped\n# TYPE x gauge\n",
            "x 1\n# TYPE x gauge\n", "# TYPE x counter\nx 1\n", "x{__name__=\"y\"} 1\n", "x{a=\"1\",} 1\n", "x{,} 1\n", "x{} 1\n",
            "x{a=\"\\n\"} 1\n", "x{a=\"\\q\"} 1\n", "x +Inf\n", "x -inf\n", "x NaN\n", "x nan\n", "x 1e3\n", "x 0x1\n", "x 1 100\n",
            "x 1 1.5\n", "x 1 -5\n", "x 1 2 3\n", "9x 1\n", "x:y 1\n", "x{a:b=\"1\"} 1\n", "x{a=\"1\" b=\"2\"} 1\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "# TYPE h histogram\nh_bucket 1\n",
            "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 1\ns_count 1\n", "# TYPE s summary\ns{quantile=\"x\"} 1\n",
            "# TYPE x weird\n", "#TYPE x gauge\nx 1\n", "# TYPE 9 gauge\n", "x  { a = \"1\" }  1\n", "x\t1\n", "x 1\r\n",
            "# HELP x back\\\\slash\nx 1\n", "x{a=\"1\",a=\"2\"} 1\n", "x 1\nx 2\n",
        ]
    }

    /// Deterministic damage to a real scrape's first lines: each line dropped, doubled,
    /// cut short, or given a stray byte; the page cut at every tenth byte.
    static func mutations(of page: [UInt8]) -> [[UInt8]] {
        let lines = page.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        func join(_ ls: [[UInt8]]) -> [UInt8] { Array(ls.joined(separator: [UInt8(ascii: "\n")])) }
        var out: [[UInt8]] = []
        for i in lines.indices where !lines[i].isEmpty {
            var dropped = lines; dropped.remove(at: i); out.append(join(dropped))
            var doubled = lines; doubled.insert(lines[i], at: i); out.append(join(doubled))
            var cut = lines; cut[i] = Array(lines[i].prefix(lines[i].count / 2)); out.append(join(cut))
            for stray in ["{", "\"", "\\", " ", "=", "#"].map({ UInt8(ascii: Unicode.Scalar($0)!) }) {
                var damaged = lines
                damaged[i].insert(stray, at: (i * 7) % (lines[i].count + 1))
                out.append(join(damaged))
            }
        }
        for end in stride(from: 0, to: page.count, by: 10) { out.append(Array(page.prefix(end))) }
        return out
    }

    @Test func theSameVerdictAsPrometheusOnEveryPage() throws {
        var pages: [(String, [UInt8])] = []
        let published = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.appendingPathComponent("node_exporter").path)
            .filter { $0.hasSuffix(".txt") }.sorted()
        for name in published {
            pages.append((name, Array(try Data(contentsOf: Self.fixtures.appendingPathComponent("node_exporter/\(name)")))))
        }
        for name in ["node_exporter-1.5.txt", "prometheus-2.42.txt"] {
            pages.append((name, Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))))
        }
        pages += Self.edgeCases.enumerated().map { ("edge \($0.offset): \($0.element.debugDescription)", Array($0.element.utf8)) }
        let base = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent("node_exporter-1.5.txt")))
        let head = Array(base.prefix(through: base.indices.filter { base[$0] == UInt8(ascii: "\n") }.dropFirst(39).first!))
        pages += Self.mutations(of: head).enumerated().map { ("mutation \($0.offset)", $0.element) }

        var compared = 0, refused = 0
        var disagreements: [String] = []
        for (name, page) in pages {
            guard let theirs = try Self.promtoolAccepts(page) else { continue }
            compared += 1
            if !theirs { refused += 1 }
            let ours = Self.watchbillAccepts(page)
            if ours != theirs {
                let error = (try? Exposition.parse(page, source: "page")).map { _ in "" } ?? "\(String(describing: try? { () throws -> Void in _ = try Exposition.parse(page, source: "page") }()))"
                disagreements.append("\(name): promtool \(theirs ? "reads" : "refuses") it, watchbill \(ours ? "reads" : "refuses") it \(error)\n"
                    + String(decoding: page.prefix(300), as: UTF8.self))
            }
        }
        #expect(compared > 300 && refused > 50, "compared \(compared), refused \(refused)")
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(compared) pages:\n\(disagreements.prefix(8).joined(separator: "\n---\n"))")
    }
}
