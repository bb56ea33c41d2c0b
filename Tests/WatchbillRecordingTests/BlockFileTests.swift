import Testing
@testable import WatchbillRecording

@Suite struct BlockFileTests {
    func file(_ payloads: [[UInt8]]) -> [UInt8] { BlockFile.header + payloads.flatMap { BlockFile.frame($0)! } }

    @Test func crcMatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func blocksRoundTrip() {
        let payloads: [[UInt8]] = [Array("first".utf8), [], Array(repeating: 7, count: 100_000)]
        let r = BlockFile.read(file(payloads))
        #expect(r.blocks == payloads && r.stoppedAt == nil && r.problem == nil)
    }

    /// Cut anywhere: the blocks wholly before the cut are read, nothing after, no trap.
    @Test func truncationAtEveryOffsetKeepsWhatCameBefore() {
        let payloads = (0..<6).map { i in Array(repeating: UInt8(i), count: 10 + i * 7) }
        let bytes = file(payloads)
        var ends: [Int] = []
        var at = BlockFile.headerSize
        for p in payloads {
            at += 12 + p.count
            ends.append(at)
        }
        for cut in BlockFile.headerSize...bytes.count {
            let r = BlockFile.read(Array(bytes[0..<cut]))
            let whole = ends.filter { $0 <= cut }.count
            #expect(r.blocks == Array(payloads.prefix(whole)), "cut at \(cut)")
            #expect((r.problem == nil) == (cut == BlockFile.headerSize || ends.contains(cut)), "cut at \(cut): \(r.problem ?? "")")
        }
    }

    /// A flipped byte anywhere in a block stops reading at that block; earlier blocks stand.
    @Test func corruptionStopsAtTheDamagedBlock() {
        let payloads = (0..<5).map { i in Array(repeating: UInt8(40 + i), count: 50) }
        let bytes = file(payloads)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var damaged = bytes
            let at = Int.random(in: BlockFile.headerSize..<bytes.count, using: &generator)
            damaged[at] ^= UInt8.random(in: 1...255, using: &generator)
            let block = (at - BlockFile.headerSize) / (12 + 50)
            let r = BlockFile.read(damaged)
            #expect(r.blocks == Array(payloads.prefix(block)), "flip at \(at)")
            #expect(r.stoppedAt == BlockFile.headerSize + block * 62 && r.problem != nil, "flip at \(at)")
        }
    }

    @Test func foreignAndNewerFilesAreRefused() {
        #expect(BlockFile.read(Array("hello".utf8)).problem == "not a watchbill recording")
        var newer = BlockFile.header
        newer[BlockFile.magic.count] = 9
        #expect(BlockFile.read(newer).problem?.hasPrefix("recording format version 9 is newer") == true)
    }

    @Test func valuesRoundTripAndDamageIsAnError() throws {
        var w = ByteWriter()
        w.varint(0); w.varint(300); w.varint(.max)
        w.signed(-1); w.signed(Int64.min); w.signed(42)
        w.double(.pi); w.double(-0.0); w.double(.infinity)
        w.string(""); w.string("naïve ✓")
        var r = ByteReader(w.bytes)
        #expect(try r.varint() == 0 && r.varint() == 300 && r.varint() == .max)
        #expect(try r.signed() == -1 && r.signed() == Int64.min && r.signed() == 42)
        #expect(try r.double() == .pi)
        #expect(try r.double().sign == .minus)
        #expect(try r.double() == .infinity)
        #expect(try r.string() == "" && r.string() == "naïve ✓")
        #expect(r.atEnd)
        var short = ByteReader(Array(w.bytes.prefix(3)))
        _ = try short.varint()
        _ = try short.varint()
        #expect(throws: ByteReader.Damaged.self) { try short.varint() }
        var huge = ByteReader([0xFF, 0xFF, 0x03])
        #expect(throws: ByteReader.Damaged.self) { try huge.string() }
    }
}
