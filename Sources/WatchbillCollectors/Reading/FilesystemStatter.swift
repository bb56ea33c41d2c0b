#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// Size figures of a mounted filesystem; injectable so tests need no real mounts.
public protocol FilesystemStatter: Sendable {
    func usage(of mount: Mount) -> FilesystemUsage?
}

/// statvfs(3) on the mount point, under the same root as `/proc` (`--root /host`).
public struct StatvfsStatter: FilesystemStatter {
    let root: ProcRoot
    public init(root: ProcRoot = ProcRoot("/")) { self.root = root }
    public func usage(of mount: Mount) -> FilesystemUsage? {
        var st = statvfs()
        guard statvfs(root.resolve(mount.mountPoint), &st) == 0 else { return nil }
        let frsize = UInt64(st.f_frsize == 0 ? st.f_bsize : st.f_frsize)
        return FilesystemUsage(mount: mount, blocks: UInt64(st.f_blocks), free: UInt64(st.f_bfree),
                               available: UInt64(st.f_bavail), blockSize: frsize)
    }
}

/// Which mounts and block devices are worth a row by default.
public struct DeviceFilter: Sendable {
    public var showPseudoFilesystems: Bool
    public var showAllBlockDevices: Bool

    public init(showPseudoFilesystems: Bool = false, showAllBlockDevices: Bool = false) {
        self.showPseudoFilesystems = showPseudoFilesystems
        self.showAllBlockDevices = showAllBlockDevices
    }

    /// Kernel and memory-backed filesystems, and read-only images (snaps are always 100% full).
    static let pseudoTypes: Set<String> = [
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "securityfs", "pstore", "bpf",
        "debugfs", "tracefs", "mqueue", "hugetlbfs", "configfs", "fusectl", "autofs", "binfmt_misc", "nsfs",
        "ramfs", "rpc_pipefs", "efivarfs", "selinuxfs", "squashfs", "overlay_internal", "nfsd", "fuse.gvfsd-fuse",
        "fuse.portal", "tracefs", "sunrpc",
    ]

    /// Real filesystems, each device once (bind mounts and docker's per-container overlays dropped).
    public func filesystems(_ mounts: [Mount]) -> [Mount] {
        var seen: Set<String> = []
        var out: [Mount] = []
        for m in mounts {
            if !showPseudoFilesystems {
                if DeviceFilter.pseudoTypes.contains(m.fsType) { continue }
                if m.fsType == "overlay" && m.mountPoint != "/" { continue }
                // NFS and other network mounts share a 0:N device id; key them by source instead.
                let key = m.device.hasPrefix("0:") ? m.source + "@" + m.fsType : m.device
                if !seen.insert(key).inserted { continue }
            }
            out.append(m)
        }
        return out
    }

    /// Whole disks: what `/sys/block` lists when it is there, else a name heuristic;
    /// loop and ram devices hidden unless asked for.
    public func isShownDisk(_ name: String, wholeDisks: Set<String>?) -> Bool {
        if showAllBlockDevices { return true }
        if name.hasPrefix("loop") || name.hasPrefix("ram") { return false }
        if let wholeDisks { return wholeDisks.contains(name) }
        return !DeviceFilter.looksLikePartition(name)
    }

    static func looksLikePartition(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard let last = u.last, last >= 0x30 && last <= 0x39 else { return false }
        // nvme0n1p2, mmcblk0p1: a 'p' before the trailing digits after a digit.
        var i = u.count - 1
        while i > 0, u[i] >= 0x30 && u[i] <= 0x39 { i -= 1 }
        if u[i] == 0x70, i > 0, u[i - 1] >= 0x30 && u[i - 1] <= 0x39 { return true }
        // sda1, vdb2, xvda1, hda3: letters then digits.
        for prefix in ["sd", "vd", "xvd", "hd"] where name.hasPrefix(prefix) { return true }
        return false
    }
}
