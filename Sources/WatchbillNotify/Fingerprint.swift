/// An alert's identity as Alertmanager computes it (`model.LabelSet.Fingerprint`): FNV-1a
/// 64 over the labels sorted by name, each name and value followed by a 0xFF byte, printed
/// as 16 hex digits. Matching it exactly lets a webhook receiver or an operator correlate
/// our notifications with what Alertmanager shows for the same alert.
public enum Fingerprint {
    public static func of(_ labels: [String: String]) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        for name in labels.keys.sorted(by: JSONText.utf8Less) {
            for b in name.utf8 { add(b) }
            add(0xFF)
            for b in labels[name]!.utf8 { add(b) }
            add(0xFF)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
