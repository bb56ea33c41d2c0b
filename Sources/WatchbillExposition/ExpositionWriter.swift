/// Families into the text exposition format (0.0.4), what Prometheus scrapes: `# HELP` and
/// `# TYPE` once per family, label values escaped (`\\`, `\"`, `\n`), `NaN` and `±Inf`
/// spelled as the format spells them, and samples in the order given.
public enum ExpositionWriter {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ families: [MetricFamily]) -> String {
        var out = ""
        out.reserveCapacity(families.count * 120)
        for f in families where !f.samples.isEmpty {
            if let help = f.help { out += "# HELP \(f.name) \(escapeHelp(help))\n" }
            out += "# TYPE \(f.name) \(f.type.rawValue)\n"
            for s in f.samples {
                out += s.name
                if !s.labels.isEmpty {
                    out += "{"
                    out += s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escapeValue($0.value))\"" }.joined(separator: ",")
                    out += "}"
                }
                out += " " + number(s.value)
                if let t = s.timestampMs { out += " \(t)" }
                out += "\n"
            }
        }
        return out
    }

    public static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        // Whole numbers as integers (counters in bytes stay exact and readable).
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func escapeValue(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func escapeHelp(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
