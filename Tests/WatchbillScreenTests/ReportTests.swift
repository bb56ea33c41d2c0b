import Foundation
import Testing
import WatchbillCore
@testable import WatchbillScreen

@Suite struct ReportTests {
    @Test func textReportLines() {
        let text = TextReport.render(SampleData.snapshot(), interval: 1, localTime: "2025-11-29 04:12:09 UTC")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "host web-01  kernel 6.1.0-28-amd64  up 3d 04:12  at 2025-11-29 04:12:09 UTC  interval 1s")
        #expect(lines[1] == "cpu  busy 45.0%  user 32.0%  system 10.0%  iowait 5.0%  irq 2.0%  steal 1.0%  cores 4")
        #expect(lines.contains("core 0  busy 95.0%  iowait 0.0%"))
        #expect(lines.contains("load 2.50 1.75 1.00  tasks 3/412  blocked 1"))
        #expect(lines.contains("fs   /var/lib/postgresql  xfs /dev/sdb1  used 480G of 500G (96%)  free 20G"))
        #expect(lines.contains("disk sdb  read 0 B/s  write 95 MB/s  iops 1.2k  busy 97%  await 18.3ms"))
        #expect(lines.contains { $0.hasPrefix("net  eth0  rx 1.3 MB/s  tx 310 kB/s") })
    }

    @Test func jsonHasUnitsInNames() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(SnapshotReport(SampleData.snapshot(), interval: 1))
        let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(obj["schema"] as? String == "watchbill.snapshot/1")
        let cpu = try #require(obj["cpu"] as? [String: Any])
        #expect(cpu["busy_percent"] as? Double == 45)
        #expect(cpu["core_count"] as? Int == 4)
        let mem = try #require(obj["memory"] as? [String: Any])
        #expect(mem["total_bytes"] as? UInt64 == 16 << 30)
        #expect(mem["used_percent"] as? Double == 62.5)
        let disks = try #require(obj["disks"] as? [[String: Any]])
        #expect(disks[1]["average_wait_milliseconds"] as? Double == 18.25)
        let ifs = try #require(obj["interfaces"] as? [[String: Any]])
        #expect(ifs[0]["receive_bytes_per_second"] as? Double == 1_250_000)
        let fs = try #require(obj["filesystems"] as? [[String: Any]])
        #expect(fs[0]["mount_point"] as? String == "/")
    }

    @Test func missingSourcesAreLeftOutOfJSON() throws {
        var s = SampleData.snapshot()
        s.disks = nil
        s.pressure = nil
        let data = try JSONEncoder().encode(SnapshotReport(s, interval: 1))
        let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(obj["disks"] == nil)
        #expect(obj["pressure"] == nil)
        #expect(obj["memory"] != nil)
    }
}
