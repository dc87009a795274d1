import Foundation
import Testing
@testable import FahrasFuzz

/// Replays what the fuzzers found (`scripts/fuzz` keeps each target's minimized corpus and
/// any crash reproducer in `Corpus/TARGET.b64`, an input per line) and the harness's seeds:
/// every input must run to an answer, and a refusal must be one line that says why.
@Suite("Fuzz corpus replays")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    @Test(arguments: FuzzTarget.allCases)
    func everyStoredInputRunsToAnAnswer(_ target: FuzzTarget) throws {
        let harness = try FuzzHarness(target: target)
        defer { harness.removeWorkspace() }
        let file = FuzzCorpusTests.corpus + "/" + target.rawValue + ".b64"
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        var inputs = try harness.seeds().enumerated().map { ("seed \($0.offset)", $0.element) }
        for (number, line) in lines.enumerated() {
            let bytes = try #require(Data(base64Encoded: String(line)), "\(file):\(number + 1) is not base64")
            inputs.append(("line \(number + 1)", Array(bytes)))
        }
        #expect(lines.count >= 20, "the stored corpus of \(target.rawValue) holds \(lines.count) inputs")
        for (name, bytes) in inputs {
            let outcome = bytes.withUnsafeBytes { harness.run($0) }
            if case .refused(let reason) = outcome {
                #expect(!reason.isEmpty && !reason.contains("\n"), "\(target.rawValue)/\(name): \(reason)")
            }
        }
    }

    /// The seeds are the template's own sound inputs: each must be accepted, so the fuzzers
    /// start from inputs that reach the whole path.
    @Test(arguments: FuzzTarget.allCases)
    func seedsAreAccepted(_ target: FuzzTarget) throws {
        let harness = try FuzzHarness(target: target)
        defer { harness.removeWorkspace() }
        let seeds = try harness.seeds()
        #expect(!seeds.isEmpty)
        for seed in seeds {
            #expect(seed.withUnsafeBytes { harness.run($0) } == .accepted, "\(String(decoding: seed.prefix(60), as: UTF8.self))")
        }
    }

    /// The index target's checksum repair: a segment with a flipped byte is still refused by
    /// its CRCs unless resealed, and a resealed copy of a sound one opens.
    @Test func resealingMakesChecksumsValid() throws {
        let harness = try FuzzHarness(target: .index)
        defer { harness.removeWorkspace() }
        let segment = try #require(try harness.seeds().first { $0.first == 0 })
        var flipped = Array(segment.dropFirst())
        flipped[20] ^= 0x01
        #expect(SegmentSeal.resealed(flipped) != flipped)
        #expect(SegmentSeal.resealed(Array(segment.dropFirst())) == Array(segment.dropFirst()))
        let outcome = ([0] + flipped).withUnsafeBytes { harness.run($0) }
        if case .refused(let reason) = outcome { #expect(!reason.contains("checksum"), "\(reason)") }
    }
}
