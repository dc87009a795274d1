import CFuzzDriver
import FahrasFuzz
import Foundation

// libFuzzer's entry points (built only with FAHRAS_FUZZ=1 and -sanitize=fuzzer; see
// scripts/fuzz). The target is named by FAHRAS_FUZZ_TARGET, since libFuzzer owns the flags.
nonisolated(unsafe) private var harness: FuzzHarness?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["FAHRAS_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("FAHRAS_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    do {
        let made = try FuzzHarness(target: target)
        harness = made
        // libFuzzer reads its corpus folders after this: a new one starts from the seeds.
        if let folder = ProcessInfo.processInfo.environment["FAHRAS_FUZZ_SEEDS"] {
            for (number, seed) in try made.seeds().enumerated() {
                try Data(seed).write(to: URL(fileURLWithPath: folder + "/seed-\(number)"))
            }
        }
        atexit { harness?.removeWorkspace() }
    } catch {
        FileHandle.standardError.write(Data("cannot set up the \(name) target: \(error)\n".utf8))
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = harness?.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// The executable's `main` on Linux, where SwiftPM links `main` to `MODULE_main`.
@_cdecl("FahrasFuzzEntry_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return fahras_fuzz_run_driver(&count, &arguments)
}
