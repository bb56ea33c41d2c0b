/// Number formatting for narrow columns. Hand-rolled because these run for every visible
/// number every frame and must not pull Foundation's formatters into the binary.
public enum Format {
    /// `value` with `decimals` digits after the point, rounded half away from zero.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "-" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let negative = value < 0
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return negative ? "-huge" : "huge" }
        let n = Int64(scaled)
        let whole = n / Int64(scale)
        var s = (negative && n != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            var frac = String(n % Int64(scale))
            while frac.count < decimals { frac = "0" + frac }
            s += "." + frac
        }
        return s
    }

    /// A fraction as a percentage: `45.2%`; `100%` without decimals at the top.
    public static func percent(_ fraction: Double?, decimals: Int = 1) -> String {
        guard let f = fraction, f.isFinite else { return "n/a" }
        let p = f * 100
        return (p >= 99.95 ? fixed(p, 0) : fixed(p, decimals)) + "%"
    }

    /// Bytes with a binary unit, three significant digits: `512B`, `1.5K`, `23.5G`.
    public static func bytes(_ value: UInt64) -> String { bytes(Double(value)) }

    public static func bytes(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let units = ["B", "K", "M", "G", "T", "P", "E"]
        var v = value
        var i = 0
        while v >= 1000 && i < units.count - 1 {
            v /= 1024
            i += 1
        }
        if i == 0 { return fixed(v, 0) + "B" }
        return (v < 10 ? fixed(v, 1) : fixed(v, 0)) + units[i]
    }

    /// A rate in decimal units, as network tools show them: `0 B/s` to `1.2 GB/s`.
    public static func rate(_ bytesPerSecond: Double?) -> String {
        guard let r = bytesPerSecond, r.isFinite else { return "n/a" }
        let units = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"]
        var v = max(0, r)
        var i = 0
        while v >= 999.5 && i < units.count - 1 {
            v /= 1000
            i += 1
        }
        if i == 0 { return fixed(v, 0) + " " + units[0] }
        return (v < 9.95 ? fixed(v, 1) : fixed(v, 0)) + " " + units[i]
    }

    /// A count per second, compact: `12`, `3.4k`, `1.2M`.
    public static func perSecond(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return "n/a" }
        if v < 9.95 { return fixed(v, v == v.rounded() ? 0 : 1) }
        if v < 999.5 { return fixed(v, 0) }
        if v < 999_500 { return fixed(v / 1000, v < 9950 ? 1 : 0) + "k" }
        return fixed(v / 1_000_000, 1) + "M"
    }

    /// An uptime: `3d 04:12`, `04:12:09`.
    public static func duration(_ seconds: Double?) -> String {
        guard let s = seconds, s.isFinite, s >= 0, s < 1e12 else { return "n/a" }
        let total = Int(s)
        let d = total / 86400, h = (total % 86400) / 3600, m = (total % 3600) / 60, sec = total % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return d > 0 ? "\(d)d \(two(h)):\(two(m))" : "\(two(h)):\(two(m)):\(two(sec))"
    }

    /// An interval: `250ms`, `1s`, `1.5s`, `2m`, `1h`, `30d`.
    public static func interval(_ seconds: Double) -> String {
        if seconds < 1 { return fixed(seconds * 1000, 0) + "ms" }
        for (unit, size) in [("d", 86400.0), ("h", 3600), ("m", 60)]
        where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return fixed(seconds / size, 0) + unit
        }
        return (seconds == seconds.rounded() ? fixed(seconds, 0) : fixed(seconds, 1)) + "s"
    }

    /// Truncates to `width` columns, ending with `ellipsis` when cut.
    /// Truncates to `width` columns by cutting the middle: for names whose ends differ
    /// (`api /v1/query`, `api /v1/query_range`), both ends stay.
    public static func clipMiddle(_ s: String, _ width: Int, ellipsis: String = "…") -> String {
        guard displayWidth(s) > width else { return s }
        let room = width - displayWidth(ellipsis)
        guard room >= 2 else { return clip(s, width, ellipsis: ellipsis) }
        let scalars = Array(s.unicodeScalars)
        var head = String.UnicodeScalarView(), tail: [Unicode.Scalar] = []
        var w = 0
        for sc in scalars where w + displayWidth(sc) <= room / 3 {
            head.append(sc)
            w += displayWidth(sc)
        }
        for sc in scalars.reversed() {
            if w + displayWidth(sc) > room { break }
            tail.append(sc)
            w += displayWidth(sc)
        }
        return String(head) + ellipsis + String(String.UnicodeScalarView(tail.reversed()))
    }

    public static func clip(_ s: String, _ width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if displayWidth(s) <= width { return s }
        let room = width - displayWidth(ellipsis)
        guard room > 0 else { return String(s.prefix(width)) }
        var out = String.UnicodeScalarView()
        var w = 0
        for sc in s.unicodeScalars {
            let cw = displayWidth(sc)
            if w + cw > room { break }
            out.append(sc)
            w += cw
        }
        return String(out) + ellipsis
    }

    /// Pads on the left to `width` columns.
    public static func padRight(_ s: String, _ width: Int) -> String {
        let w = displayWidth(s)
        return w >= width ? s : s + String(repeating: " ", count: width - w)
    }

    public static func padLeft(_ s: String, _ width: Int) -> String {
        let w = displayWidth(s)
        return w >= width ? s : String(repeating: " ", count: width - w) + s
    }
}
