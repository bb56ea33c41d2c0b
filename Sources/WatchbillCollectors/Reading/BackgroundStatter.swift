#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import WatchbillCore

/// statvfs on network and FUSE filesystems can block for minutes when the server or the
/// daemon is gone (a hard NFS mount). Those mounts are measured on a queue of their own
/// and the tick takes the last answer, marked stale once a request has been outstanding
/// for `staleAfter` seconds: a dead server freezes one row, never the collection thread.
/// Local filesystems are measured inline: their answer is always at hand.
public final class BackgroundStatter: FilesystemStatter {
    static let networkTypes: Set<String> = [
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "ceph", "glusterfs", "fuse.glusterfs",
        "lustre", "afs", "9p", "fuse.s3fs", "fuse.rclone", "davfs", "fuse.davfs2",
    ]

    private let inline: any FilesystemStatter
    private let staleAfter: Double
    private let now: @Sendable () -> Double
    private let results = Mutex<[String: FilesystemUsage]>([:])
    /// Mount point to the time its outstanding request was sent.
    private let inFlight = Mutex<[String: Double]>([:])
    private let queue = DispatchQueue(label: "watchbill.statvfs", attributes: .concurrent)

    public init(inline: any FilesystemStatter, staleAfter: Double = 30,
                now: @escaping @Sendable () -> Double = BackgroundStatter.monotonicNow) {
        self.inline = inline
        self.staleAfter = staleAfter
        self.now = now
    }

    public static func isRemote(_ fsType: String) -> Bool {
        networkTypes.contains(fsType) || fsType.hasPrefix("fuse")
    }

    public func usage(of mount: Mount) -> FilesystemUsage? {
        guard BackgroundStatter.isRemote(mount.fsType) else { return inline.usage(of: mount) }
        let key = mount.mountPoint
        let t = now()
        // One outstanding request per mount: a hung one is not asked again until it returns.
        let sentAt: Double? = inFlight.withLock { pending in
            if let sent = pending[key] { return sent }
            pending[key] = t
            return nil
        }
        if sentAt == nil {
            queue.async { [self] in
                let u = inline.usage(of: mount)
                results.withLock { $0[key] = u }
                _ = inFlight.withLock { $0.removeValue(forKey: key) }
            }
        }
        guard var last = results.withLock({ $0[key] }) else { return nil }
        if let sentAt, t - sentAt >= staleAfter { last.isStale = true }
        return last
    }

    public static let monotonicNow: @Sendable () -> Double = {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
