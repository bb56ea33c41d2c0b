import Testing
import WatchbillCore
@testable import WatchbillScreen

/// A pane with nothing to show says why in its source's terms: for a remote host the
/// collector to enable, never a local file; an estimated figure says it is one.
@Suite struct MissingPartsTests {
    static func state(_ snap: HostSnapshot) -> AppState {
        var st = AppState(interval: 1, glyphs: .unicode)
        st.data = DashboardData(snapshot: snap)
        return st
    }

    @Test func aRemoteHostsPanesNameTheCollectorNotALocalFile() {
        var snap = HostSnapshot(time: 1, wallClock: 1, host: HostInfo(hostname: "far", kernel: "5.4"))
        snap.missing[.filesystems] = "not served by this exporter (node_filesystem_size_bytes): enable its filesystem collector"
        snap.missing[.network] = "not served by this exporter (node_network_receive_bytes_total): enable its netdev collector"
        snap.missing[.cpu] = "no CPU time counted since the last scrape"
        var memory = MemorySample.fromKernelFields {
            ["MemTotal": 3_831_959_552, "MemFree": 230_883_328, "Buffers": 22_568_960, "Cached": 953_229_312,
             "SReclaimable": 45_846_528][$0]
        }
        #expect(memory?.availableEstimated == true)
        memory?.swapTotal = 0
        snap.memory = memory
        let text = Screen.render(Self.state(snap), width: 200, height: 50).text
        #expect(text.contains("enable its filesystem collector") && text.contains("enable its netdev collector"), "\(text)")
        #expect(!text.contains("/proc/self/mountinfo") && !text.contains("/proc/net/dev"), "\(text)")
        #expect(text.contains("no CPU time counted since the last scrape") && !text.contains("first sample"), "\(text)")
        #expect(text.contains("avail ~1.2G est."), "\(text)")
        // Locally, the unreadable file is still named.
        var local = HostSnapshot(time: 1, wallClock: 1, host: HostInfo(hostname: "here", kernel: "6.1"))
        local.problems = ["/proc/meminfo: cannot read"]
        local.missing[.memory] = "/proc/meminfo: cannot read"
        #expect(Screen.render(Self.state(local), width: 200, height: 50).text.contains("/proc/meminfo: cannot read"))
    }
}
