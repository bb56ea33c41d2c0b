/// Text from elsewhere (an exporter's label values, a rule's annotations, a bot's incident
/// note) made safe to write to a terminal: every control character but newline and tab
/// becomes `?`, so ESC and BEL cannot retitle a pane, clear the screen or move the cursor.
public enum PlainText {
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(isControl(s) ? "?" : s) }
        return String(out)
    }

    /// C0 (but newline and tab), DEL and C1: what a terminal may act on.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }
}
