extension Grid {
    /// Offsets of the cells that differ from `old`, in row-major order; every drawable
    /// cell when there is no usable old frame (first draw, resize). Continuation cells
    /// are skipped: the wide character before them draws both columns.
    public func changedCells(since old: Grid?) -> [Int] {
        var out: [Int] = []
        guard let old, old.width == width, old.height == height else {
            out.reserveCapacity(cells.count)
            for i in cells.indices where !cells[i].isContinuation { out.append(i) }
            return out
        }
        cells.withUnsafeBufferPointer { new in
            old.cells.withUnsafeBufferPointer { prev in
                for i in 0..<new.count where new[i] != prev[i] && !new[i].isContinuation { out.append(i) }
            }
        }
        return out
    }
}
