import Dispatch
import Synchronization
import WatchbillCore

/// statvfs on network filesystems can block for minutes when the server is gone (a hard
/// NFS mount). Those mounts are measured on a queue of their own and the tick takes the
/// last answer, so a dead NFS server freezes one row, never the collection thread.
/// Local filesystems are measured inline: their answer is always at hand.
public final class BackgroundStatter: FilesystemStatter {
    static let networkTypes: Set<String> = [
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "ceph", "glusterfs", "fuse.glusterfs",
        "lustre", "afs", "9p", "fuse.s3fs", "fuse.rclone", "davfs", "fuse.davfs2",
    ]

    private let inline: any FilesystemStatter
    private let results = Mutex<[String: FilesystemUsage]>([:])
    private let inFlight = Mutex<Set<String>>([])
    private let queue = DispatchQueue(label: "watchbill.statvfs", attributes: .concurrent)

    public init(inline: any FilesystemStatter) {
        self.inline = inline
    }

    public func usage(of mount: Mount) -> FilesystemUsage? {
        guard BackgroundStatter.networkTypes.contains(mount.fsType) else { return inline.usage(of: mount) }
        let key = mount.mountPoint
        // One outstanding request per mount: a hung one is not asked again until it returns.
        if inFlight.withLock({ $0.insert(key).inserted }) {
            queue.async { [self] in
                let u = inline.usage(of: mount)
                results.withLock { $0[key] = u }
                _ = inFlight.withLock { $0.remove(key) }
            }
        }
        return results.withLock { $0[key] }
    }
}
