import WatchbillCore

/// Space per filesystem (fullest first) and I/O per block device.
enum DiskPane {
    static func render(_ data: DashboardData, focused: Bool, glyphs: GlyphSet, into grid: inout Grid, area: Rect) {
        let snap = data.snapshot
        let filesystems = (snap?.filesystems ?? []).sorted {
            $0.usedFraction != $1.usedFraction ? $0.usedFraction > $1.usedFraction : $0.mount.mountPoint < $1.mount.mountPoint
        }
        let worst = filesystems.first
        let box = Box(title: "Disk", focused: focused,
                      badge: worst.map { "\(Format.clip($0.mount.mountPoint, 12, ellipsis: glyphs.ellipsis)) \(Format.percent($0.usedFraction, decimals: 0))" } ?? "")
        let inner = box.render(into: &grid, area: area, glyphs: glyphs)
        guard inner.height > 0, inner.width > 0 else { return }
        guard let snap else {
            DashboardView.unavailable("collecting...", into: &grid, row: inner.row(0))
            return
        }
        let disks = snap.disks
        let deviceRows = disks.map { max(1, $0.count) + 1 } ?? 1
        let fsRoom = max(1, min(filesystems.count + 1, inner.height - min(deviceRows, inner.height / 2)))
        var (fsArea, devArea) = inner.splitTop(fsRoom)
        renderFilesystems(filesystems, missing: snap.filesystems != nil ? nil : snap.missing[.filesystems] ?? "/proc/self/mountinfo unreadable",
                          glyphs: glyphs, into: &grid, area: fsArea)
        guard devArea.height > 0 else { return }
        if fsArea.height > 0 && devArea.height > 2 {
            // A blank line between the two tables when there is room for it.
            (_, devArea) = devArea.splitTop(1)
        }
        guard let disks else {
            DashboardView.unavailable(snap.missing[.disks] ?? "no /proc/diskstats: device I/O unavailable", into: &grid, row: devArea.row(0))
            return
        }
        // Busy and await say whether a disk is the bottleneck; IOPS is dropped first when narrow.
        let rows = disks.map { d in
            Table.Row([d.name, Format.rate(d.readBytesPerSecond), Format.rate(d.writeBytesPerSecond),
                       Format.percent(d.busy, decimals: 0), d.averageWaitMs.map { Format.fixed($0, 1) + "ms" } ?? "-",
                       Format.perSecond(d.iops)],
                      roles: [.text, .text, .text, severityRole(d.busy, warn: 0.6, critical: 0.9), .text, .text])
        }
        let table = Table(columns: [Table.Column("device", width: 7, .left), Table.Column("read", width: 8),
                                    Table.Column("write", width: 8), Table.Column("busy", width: 4),
                                    Table.Column("await", width: 6), Table.Column("IOPS", width: 5)],
                          rows: rows)
        table.render(into: &grid, area: devArea, glyphs: glyphs)
        if rows.isEmpty && devArea.height > 1 {
            DashboardView.unavailable(snap.cpuTotal == nil ? "collecting..." : "no block devices",
                                      into: &grid, row: devArea.row(1))
        }
    }

    /// `missing`: why there are no filesystems at all (nil when they were read).
    static func renderFilesystems(_ fss: [FilesystemUsage], missing: String?, glyphs: GlyphSet,
                                  into grid: inout Grid, area: Rect) {
        guard area.height > 0 else { return }
        if let missing {
            DashboardView.unavailable(missing, into: &grid, row: area.row(0))
            return
        }
        let mountWidth = min(24, max(8, area.width / 3))
        let sizeWidth = 12
        grid.text("mount", x: area.x, y: area.y, style: Style(.muted, bold: true))
        grid.textRight("free/size", right: area.maxX, y: area.y, style: Style(.muted, bold: true))
        for (i, fs) in fss.prefix(area.height - 1).enumerated() {
            let y = area.y + 1 + i
            let row = Rect(x: area.x, y: y, width: area.width - sizeWidth, height: 1)
            let name = Format.clip(fs.mount.mountPoint, mountWidth - 1, ellipsis: glyphs.ellipsis)
            // A network mount that stopped answering keeps its last figures, marked stale.
            DashboardView.meterRow(name, labelWidth: mountWidth,
                                   segments: [Meter.Segment(fs.usedFraction, fs.isStale ? .muted : severityRole(fs.usedFraction))],
                                   value: fs.isStale ? "stale" : Format.percent(fs.usedFraction, decimals: 0),
                                   valueRole: fs.isStale ? .warn : severityRole(fs.usedFraction), into: &grid, row: row,
                                   glyphs: glyphs)
            grid.textRight("\(Format.bytes(fs.available))/\(Format.bytes(fs.size))", right: area.maxX, y: y,
                           style: Style(.text), minX: row.maxX)
        }
    }
}
