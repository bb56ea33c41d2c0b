import Testing
import WatchbillCore
@testable import WatchbillScreen

enum SampleProcesses {
    static func make(_ pid: Int32, _ ppid: Int32, _ cmd: String, user: String, uid: UInt32, cpu: Double?, rss: UInt64,
                     write: Double? = 0, unit: String = "", start: Double = 100) -> ProcessActivity {
        ProcessActivity(
            sample: ProcessSample(pid: pid, parentPID: ppid, name: String(cmd.prefix(15)), state: "S", uid: uid,
                                  cpuTicks: 0, startTicks: UInt64(start * 100), residentBytes: rss, threads: 1,
                                  readBytes: 0, writtenBytes: 0, commandLine: cmd),
            user: user, cpuFraction: cpu, memoryFraction: Double(rss) / Double(16 << 30), readBytesPerSecond: 0,
            writeBytesPerSecond: write, startedAfterBoot: start, unit: unit)
    }

    static let all: [ProcessActivity] = [
        make(1, 0, "/sbin/init splash", user: "root", uid: 0, cpu: 0.001, rss: 12 << 20, unit: "init.scope", start: 1),
        make(812, 1, "/usr/sbin/nginx -g daemon off;", user: "root", uid: 0, cpu: 0.0, rss: 8 << 20, unit: "nginx.service"),
        make(813, 812, "nginx: worker process", user: "www-data", uid: 33, cpu: 0.42, rss: 64 << 20, unit: "nginx.service"),
        make(814, 812, "nginx: worker process", user: "www-data", uid: 33, cpu: 0.37, rss: 60 << 20, unit: "nginx.service"),
        make(1200, 1, "postgres -D /var/lib/postgresql/data", user: "postgres", uid: 105, cpu: 0.05, rss: 2 << 30,
             write: 95_000_000, unit: "docker:4f2a9c1d7e3b"),
        make(4242, 1, "python3 batch.py --all", user: "alice", uid: 1000, cpu: 1.85, rss: 900 << 20, unit: "session-3.scope"),
    ]

    static func state(focus: Pane = .processes) -> AppState {
        var st = SampleData.state()
        st.data.processes = all
        st.focus = focus
        st.zoomed = focus == .processes
        return st
    }
}

@Suite struct ProcessListTests {
    func pids(_ st: AppState) -> [Int32] { st.processRows.map(\.process.sample.pid) }

    @Test func sortedByCPUThenCycledAndReversed() {
        var st = SampleProcesses.state()
        #expect(pids(st) == [4242, 813, 814, 1200, 1, 812])
        _ = st.handle(.character(">"))
        #expect(st.processes.sort == .memory)
        #expect(pids(st).first == 1200)
        _ = st.handle(.character("<")); _ = st.handle(.character("<")); _ = st.handle(.character("<"))
        #expect(st.processes.sort == .user)
        #expect(pids(st) == [4242, 1200, 1, 812, 813, 814])  // alice, postgres, root, www-data
        _ = st.handle(.character("<"))
        #expect(st.processes.sort == .pid)
        #expect(pids(st) == [1, 812, 813, 814, 1200, 4242])
        _ = st.handle(.character("r"))
        #expect(pids(st) == [4242, 1200, 814, 813, 812, 1])
    }

    @Test func everyColumnSorts() {
        var st = SampleProcesses.state()
        st.processes.sort = .unit
        st.processes.descending = false
        #expect(pids(st) == [1200, 1, 812, 813, 814, 4242])  // docker:…, init.scope, nginx.service, session-3.scope
        var seen: Set<ProcessSortKey> = []
        for _ in ProcessSortKey.allCases { _ = st.handle(.character(">")); seen.insert(st.processes.sort) }
        #expect(seen == Set(ProcessSortKey.allCases))
    }

    @Test func filterBySubstringAndRegex() {
        var st = SampleProcesses.state()
        _ = st.handle(.character("/"))
        for c in "WORKER" { _ = st.handle(.character(c)) }
        #expect(pids(st) == [813, 814])
        _ = st.handle(.enter)
        #expect(st.processes.editingFilter == nil && st.processes.filter == "WORKER")
        _ = st.handle(.character("/"))
        for _ in 0..<6 { _ = st.handle(.backspace) }
        for c in "^post.*data$" { _ = st.handle(.character(c)) }
        _ = st.handle(.enter)
        #expect(pids(st) == [1200])
        _ = st.handle(.character("/")); _ = st.handle(.character("x")); _ = st.handle(.escape)
        #expect(st.processes.filter == "^post.*data$", "Esc drops what was typed since /")
        // A user or a unit matches too.
        st.processes.filter = "www-data"
        #expect(pids(st) == [813, 814])
        st.processes.filter = "nginx.service"
        #expect(Set(pids(st)) == [812, 813, 814])
    }

    @Test func treeViewNestsChildrenUnderParents() {
        var st = SampleProcesses.state()
        _ = st.handle(.character("T"))
        let rows = st.processRows
        // Siblings keep the sort (CPU): under init, alice's batch job, postgres, then nginx.
        #expect(rows.map(\.process.sample.pid) == [1, 4242, 1200, 812, 813, 814])
        #expect(rows.map(\.depth) == [0, 1, 1, 1, 2, 2])
    }

    @Test func followKeepsTheProcessSelectedWhenTheOrderChanges() {
        var st = SampleProcesses.state()
        _ = st.handle(.down)  // 813
        _ = st.handle(.character("f"))
        #expect(st.processes.followPID == 813)
        var changed = SampleProcesses.all
        changed[2].cpuFraction = 0.01  // 813 drops down the list
        st.data.processes = changed
        let rows = st.processRows
        let sel = ProcessList.selection(rows, st.processes)!
        #expect(rows[sel].process.sample.pid == 813)
        _ = st.handle(.character("f"))
        #expect(st.processes.followPID == nil)
    }

    @Test func signalsAskFirstAndCanBeCancelled() {
        var st = SampleProcesses.state()
        st.userID = 0
        _ = st.handle(.down)  // 813 www-data
        #expect(st.handle(.character("K")) == [])
        #expect(st.processes.confirm?.pid == 813 && st.processes.confirm?.signal == 15)
        #expect(st.handle(.character("n")) == [])
        #expect(st.processes.confirm == nil && st.processes.message == "not sent")
        _ = st.handle(.character("X"))
        #expect(st.handle(.character("y")) == [.sendSignal(pid: 813, startTicks: 10_000, signal: 9, name: "KILL")])
    }

    @Test func signalsRefusedForOtherUsersAndWhenReadOnly() {
        var st = SampleProcesses.state()
        st.userID = 1000
        _ = st.handle(.down)  // 813 belongs to www-data
        _ = st.handle(.character("K"))
        #expect(st.processes.confirm == nil)
        #expect(st.processes.message == "813 belongs to www-data: only root may signal it")
        _ = st.handle(.home)  // 4242 is alice's own
        _ = st.handle(.character("K"))
        #expect(st.processes.confirm?.pid == 4242)
        _ = st.handle(.escape)
        st.readOnlyReason = "a wall display is read-only"
        _ = st.handle(.character("K"))
        #expect(st.processes.confirm == nil && st.processes.message == "signals are off in read-only mode")
    }

    @Test func oneKeyFromAResourcePaneSortsByThatResource() {
        var st = SampleProcesses.state(focus: .memory)
        #expect(!st.processesVisible)
        _ = st.handle(.character("t"))
        #expect(st.focus == .processes && st.zoomed && st.processesVisible)
        #expect(st.processes.sort == .memory)
        #expect(st.processRows.first?.process.sample.pid == 1200)
        _ = st.handle(.escape)
        #expect(!st.processesVisible)
        st.focus = .disk
        _ = st.handle(.character("t"))
        #expect(st.processes.sort == .io)
        #expect(st.processRows.first?.process.sample.pid == 1200)
    }

    @Test func listKeysOnlyWhenTheProcessesPaneHasFocus() {
        var st = SampleProcesses.state(focus: .cpu)
        st.zoomed = false
        st.processesPinned = true
        st.layoutRows = Screen.layoutRows(st, width: 80, height: 24)
        _ = st.handle(.character("j"))
        #expect(st.focus == .disk)
        _ = st.handle(.character("j"))
        #expect(st.focus == .processes)
        _ = st.handle(.character("j"))
        #expect(st.focus == .processes && st.processes.selected == 1)
        _ = st.handle(.up)
        #expect(st.processes.selected == 0)
    }
}

@Suite struct ProcessPaneTests {
    @Test func processesZoomedAt100x30() {
        Golden.check(Screen.render(SampleProcesses.state(), width: 100, height: 30), "processes-100x30")
    }

    @Test func confirmationLineShowsWhatWillBeHit() {
        var st = SampleProcesses.state()
        _ = st.handle(.character("K"))
        let text = Screen.render(st, width: 100, height: 30).text
        #expect(text.contains("Send TERM to 4242 alice python3 batch.py --all? y to send"))
    }

    @Test func tallTerminalsShowAProcessesRow() {
        var st = SampleProcesses.state(focus: .cpu)
        st.zoomed = false
        st.layoutRows = Screen.layoutRows(st, width: 200, height: 60)
        #expect(st.layoutRows.last == [.processes] && st.processesVisible)
        #expect(!Screen.hasProcessesRow(width: 200, height: 50))
        let text = Screen.render(st, width: 200, height: 60).text
        #expect(text.contains("Processes 6"))
        #expect(text.contains("python3 batch.py --all"))
        #expect(!Screen.hasProcessesRow(width: 80, height: 24))
    }
}
