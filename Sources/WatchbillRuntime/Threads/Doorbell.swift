#if canImport(Glibc)
import Glibc
#endif

/// A pipe one thread waits on and another rings: a wake-up with a timeout.
public final class Doorbell: Sendable {
    private let readFD: Int32
    private let writeFD: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    public enum Ring: Sendable { case normal, urgent }

    /// `urgent` asks the waiting thread to act now rather than at its next deadline.
    public func ring(urgent: Bool = false) {
        var b: UInt8 = urgent ? 2 : 1
        _ = write(writeFD, &b, 1)
    }

    /// How it was rung (the pipe is then emptied), or nil on timeout.
    public func wait(timeoutMs: Int32) -> Ring? {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, max(0, timeoutMs)) > 0 else { return nil }
        var buf = [UInt8](repeating: 0, count: 64)
        var urgent = false
        while true {
            let n = read(readFD, &buf, buf.count)
            if n <= 0 { break }
            if buf[0..<n].contains(2) { urgent = true }
        }
        return urgent ? .urgent : .normal
    }

    /// Waits until `deadline` on the monotonic clock, at most `slice` seconds at a time
    /// (nil when that ran out, whether or not the deadline came).
    public func wait(until deadline: Double, slice: Double = 60) -> Ring? {
        wait(timeoutMs: Int32((max(0, min(slice, deadline - Clock.monotonic())) * 1000).rounded(.up)))
    }
}
