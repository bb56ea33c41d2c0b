import WatchbillCore
/// A color as a theme writes it.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `#RRGGBB`, or nil.
    public init?(hex: Substring) {
        guard hex.count == 7, hex.first == "#", let v = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        self.init(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }

    public var description: String {
        let digits = Array("0123456789ABCDEF")
        return "#" + [r, g, b].map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined()
    }

    var packed: Int { Int(r) << 16 | Int(g) << 8 | Int(b) }
}

/// The semantic roles a theme file sets: the foundation's roles, severities, and a
/// start/mid/end gradient per graph.
public enum ThemeKey: String, CaseIterable, Sendable {
    case background, foreground, title, border
    case focusedBorder = "focused_border"
    case muted, selection, ok, warn, critical, p0, p1, p2, p3
    case cpuStart = "cpu_start", cpuMid = "cpu_mid", cpuEnd = "cpu_end"
    case memoryStart = "memory_start", memoryMid = "memory_mid", memoryEnd = "memory_end"
    case diskStart = "disk_start", diskMid = "disk_mid", diskEnd = "disk_end"
    case networkStart = "network_start", networkMid = "network_mid", networkEnd = "network_end"
    case latencyStart = "latency_start", latencyMid = "latency_mid", latencyEnd = "latency_end"
}

/// A named set of colors for the theme keys; a key without a color uses the terminal's own.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var colors: [ThemeKey: RGB]

    public init(name: String, colors: [ThemeKey: RGB]) {
        self.name = name
        self.colors = colors
    }

    public subscript(key: ThemeKey) -> RGB? { colors[key] }

    /// The default theme, parsed from the embedded copy; it cannot fail (a test keeps it valid).
    public static let standard: Theme = (try? ThemeParser.parse(BuiltinThemes.sources["default"] ?? "", name: "default",
                                                                 inheritFrom: nil).theme) ?? Theme(name: "default", colors: [:])
}


public enum ThemeParser {
    /// Parses `key = #RRGGBB` lines. An empty value is the terminal's own color; a line
    /// starting with `#` is a comment. Unknown keys are warnings, not errors (a theme
    /// written for a newer watchbill still loads); keys the file leaves out inherit from
    /// `inheritFrom` (the default theme). A malformed line or color is an error.
    public static func parse(_ text: String, name: String, file: String? = nil,
                             inheritFrom base: Theme? = Theme.standard) throws -> (theme: Theme, warnings: [String]) {
        let path = file ?? name
        var colors = base?.colors ?? [:]
        var given: Set<ThemeKey> = []
        var warnings: [String] = []
        var unknown = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.first == "#" { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw SourceError(file: path, line: i + 1, cause: "expected 'key = #RRGGBB'")
            }
            let keyText = line[..<eq].trimmingSpaces
            let value = line[line.index(after: eq)...].trimmingSpaces
            guard let key = ThemeKey(rawValue: String(keyText)) else {
                unknown += 1
                if unknown <= maxWarnings { warnings.append("\(path):\(i + 1): unknown key '\(keyText)' ignored") }
                continue
            }
            if !given.insert(key).inserted {
                throw SourceError(file: path, line: i + 1, cause: "'\(keyText)' set twice")
            }
            if value.isEmpty {
                colors[key] = nil
            } else if let c = RGB(hex: value) {
                colors[key] = c
            } else {
                throw SourceError(file: path, line: i + 1, cause: "'\(value)' is not a #RRGGBB color")
            }
        }
        // A file of 100,000 unknown keys is not 100,000 log lines at every start.
        if unknown > maxWarnings { warnings.append("\(path): \(unknown - maxWarnings) more unknown keys ignored") }
        return (Theme(name: name, colors: colors), warnings)
    }

    /// Unknown keys named one by one; past these, counted.
    static let maxWarnings = 5
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" || s.last == "\r" { s = s.dropLast() }
        return s
    }
}
