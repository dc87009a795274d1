import CPackedInts
import Testing
@testable import FahrasIndex
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Index: packed integers")
struct PackedIntsTests {
    /// Values of every width from 0 to 32 bits, in runs of several lengths, seeded.
    func values(bits: Int, count: Int, seed: UInt64) -> [UInt32] {
        var state = seed &+ UInt64(bits) &* 7919 &+ UInt64(count)
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = UInt32(truncatingIfNeeded: state >> 29)
            return bits == 0 ? 0 : bits == 32 ? value : value & (UInt32(1) << UInt32(bits) - 1)
        }
    }

    /// The packed bytes of `list`, followed by the 8 bytes a reader may load past them.
    func packed(_ list: [UInt32], bits: Int, minus: UInt32 = 0) -> [UInt8] {
        var out: [UInt8] = [0xAA]  // the run starts one byte in
        PackedInts.append(list, minus: minus, bits: bits, to: &out)
        #expect(out.count == 1 + PackedInts.byteCount(list.count, bits: bits))
        return out + [UInt8](repeating: 0xFF, count: 8)
    }

    @Test func everyValueOfEveryWidthReadsBack() {
        for bits in 0...32 {
            for count in [1, 7, 8, 9, 127, 128] {
                let list = values(bits: bits, count: count, seed: 1)
                let bytes = packed(list, bits: bits)
                let run = PackedInts.Run(start: 1, bits: bits)
                #expect(run.end(count) == 1 + PackedInts.byteCount(count, bits: bits))
                bytes.withUnsafeBytes { raw in
                    for (i, value) in list.enumerated() where run.value(at: i, in: raw) != Int(value) {
                        Issue.record("width \(bits), value \(i) of \(count): \(run.value(at: i, in: raw)), not \(value)")
                    }
                    // Unpacked from any place, with an amount added, with vector instructions
                    // where they serve and without.
                    for first in [0, 1, 8, count / 2, count - 1] where first < count {
                        var out = [Int](repeating: -1, count: count - first)
                        var alone = out
                        out.withUnsafeMutableBufferPointer {
                            run.unpack(from: first, count: count - first, in: raw, adding: 1_000, into: $0.baseAddress!)
                        }
                        alone.withUnsafeMutableBufferPointer {
                            run.unpackOneByOne(from: first, count: count - first, in: raw, adding: 1_000, into: $0.baseAddress!)
                        }
                        #expect(out == list[first...].map { Int($0) + 1_000 })
                        #expect(alone == out, "width \(bits), from \(first) of \(count), one by one")
                    }
                }
            }
        }
    }

    /// The running sums of gaps less one (a block's passages), for every width (those with
    /// a loop of their own and the others) and lengths on either side of a group of eight,
    /// with vector instructions where they serve and without.
    @Test func runningSumsAreThePassagesOfTheGaps() {
        for bits in 0...32 {
            for count in [0, 1, 7, 8, 9, 16, 127] {
                let list = values(bits: bits, count: count, seed: 2).map { bits > 20 ? $0 >> 12 : $0 }
                let width = PackedInts.width(list.max() ?? 0)
                let bytes = packed(list, bits: width)
                let run = PackedInts.Run(start: 1, bits: width)
                var expected: [Int] = []
                var passage = 41
                for gap in list { passage += Int(gap) + 1; expected.append(passage) }
                var out = [Int](repeating: -1, count: count)
                var alone = out
                let last = bytes.withUnsafeBytes { raw in
                    out.withUnsafeMutableBufferPointer { run.unpackSums(count: count, in: raw, after: 41, into: $0.baseAddress!) }
                }
                let lastAlone = bytes.withUnsafeBytes { raw in
                    alone.withUnsafeMutableBufferPointer { run.sumsOneByOne(count: count, in: raw, after: 41, into: $0.baseAddress!) }
                }
                #expect(out == expected, "width \(width), \(count) values")
                #expect(alone == expected, "width \(width), \(count) values, one by one")
                #expect(last == (expected.last ?? 41) && lastAlone == last)
            }
        }
    }

    /// The vector unpacking, called directly, against the values and sums made one by one:
    /// every width it takes, counts on either side of a group of eight, with room in `out`
    /// for the last group or not, and the packed bytes ending where a page the process may
    /// not read begins, so that a read past what it was given would crash the test.
    @Test func vectorSumsAreTheSumsAndReadNoFurther() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(memory != UnsafeMutableRawPointer(bitPattern: -1))
        defer { munmap(memory, 2 * page) }
        try #require(mprotect(memory + page, page, PROT_NONE) == 0)
        let vectors = fahras_packed_vectors()
        var last = 0
        for bits in 1...16 {
            for count in [0, 1, 7, 8, 9, 15, 16, 17, 63, 127, 128] {
                let list = values(bits: bits, count: count, seed: 3)
                var bytes: [UInt8] = []
                PackedInts.append(list, bits: bits, to: &bytes)
                var expected: [Int] = []
                for value in list { expected.append((expected.last ?? 41) + Int(value) + 1) }
                for slack in [0, 15, 16] {
                    let start = (memory + page - bytes.count - slack).assumingMemoryBound(to: UInt8.self)
                    start.initialize(repeating: 0xFF, count: bytes.count + slack)
                    start.update(from: bytes, count: bytes.count)
                    for room in Set([count, (count + 7) / 8 * 8]) {
                        var out = [Int](repeating: -7, count: room + 1)
                        let done = out.withUnsafeMutableBufferPointer {
                            fahras_packed_sums(start, bytes.count + slack, bits, count, room, 41, $0.baseAddress!, &last)
                        }
                        #expect(done == vectors, "width \(bits)")
                        guard done else { continue }
                        #expect(Array(out[..<count]) == expected, "width \(bits), \(count) values, \(slack) bytes after, room \(room)")
                        #expect(last == (expected.last ?? 41))
                        #expect(out[room] == -7, "nothing is written past the room")
                    }
                    // The values themselves, from the first of a group.
                    for first in Set([0, 8, count / 16 * 8]) where first <= count {
                        let wanted = list[first...].map { Int($0) + 1_000 }
                        for room in Set([wanted.count, (wanted.count + 7) / 8 * 8]) {
                            var out = [Int](repeating: -7, count: room + 1)
                            let done = out.withUnsafeMutableBufferPointer {
                                fahras_packed_values(start, bytes.count + slack, bits, first, wanted.count, room, 1_000, $0.baseAddress!)
                            }
                            #expect(done == vectors, "width \(bits)")
                            guard done else { continue }
                            #expect(Array(out[..<wanted.count]) == wanted, "width \(bits), from \(first) of \(count), room \(room)")
                            #expect(out[room] == -7, "nothing is written past the room")
                        }
                    }
                }
            }
        }
        // What it leaves to the caller: widths it has no loop for, too little room or bytes.
        let start = (memory + page - 64).assumingMemoryBound(to: UInt8.self)
        var out = [Int](repeating: 0, count: 16)
        out.withUnsafeMutableBufferPointer { out in
            let into = out.baseAddress!
            for (bits, count, room, available) in [(0, 8, 8, 64), (17, 8, 8, 64), (5, 8, 7, 64), (5, 16, 16, 9), (5, -1, 16, 64)] {
                let call = "\(bits) bits, \(count) in \(room), \(available) bytes"
                #expect(!fahras_packed_sums(start, available, bits, count, room, 0, into, &last), "\(call)")
                #expect(!fahras_packed_values(start, available, bits, 0, count, room, 0, into), "\(call)")
            }
            #expect(!fahras_packed_values(start, 64, 5, 3, 8, 8, 0, into), "not from the first of a group")
        }
    }

    @Test func valuesLessAnAmountArePacked() {
        let list: [UInt32] = [1, 2, 5, 1, 1, 4]
        let bytes = packed(list, bits: PackedInts.width(4), minus: 1)
        let run = PackedInts.Run(start: 1, bits: PackedInts.width(4))
        bytes.withUnsafeBytes { raw in #expect(list.indices.map { run.value(at: $0, in: raw) } == list.map { Int($0) - 1 }) }
    }

    @Test func widthsAreTheBitsOfTheLargestValue() {
        #expect(PackedInts.width(0) == 0)
        #expect(PackedInts.width(1) == 1)
        #expect(PackedInts.width(255) == 8)
        #expect(PackedInts.width(256) == 9)
        #expect(PackedInts.width(.max) == 32)
    }
}
