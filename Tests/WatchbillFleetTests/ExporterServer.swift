import LoopbackServers

typealias ExporterServer = ExporterServerProcess

extension ExporterServerProcess {
    /// Three exporters and a TLS one, shared by the fleet tests.
    static let shared: ExporterServerProcess? = try? ExporterServerProcess(count: 3, tls: true)
}
