#if canImport(Glibc)
import Glibc
#endif

/// How the process asks glibc's allocator to behave, set once at start.
///
/// A resize to a wall's 500x200 makes cell grids of a few MiB. glibc maps such blocks
/// fresh, but after the first is freed it raises its mapping threshold to that size, so the
/// next ones come from the heap and stay there: a soak resized every second grew 4 MiB in
/// ten minutes. A fixed threshold keeps them mapped and handed back on free. Two arenas,
/// not one per thread, keep the workers' small allocations from spreading over eight.
public enum MemoryPolicy {
    /// `<malloc.h>`'s parameters (the Glibc module does not bring that header).
    static let mmapThreshold: Int32 = -3, arenaMax: Int32 = -8

    public static func apply() {
        // Looked up rather than declared: another C library (musl) has no mallopt, and then
        // this does nothing.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(mmapThreshold, 256 << 10)
        _ = mallopt(arenaMax, 2)
    }
}
