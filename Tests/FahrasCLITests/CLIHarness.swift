import Foundation

/// Runs the built `fahras` executable as a user would, capturing what it prints.
enum CLI {
    /// The repository root (this file is Tests/FahrasCLITests/CLIHarness.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let seeds = packageRoot.appendingPathComponent("seeds").path

    /// The `fahras` binary next to the test bundle (SwiftPM builds it for the test target).
    static let binary: URL = {
        let here = Bundle.main.bundleURL
        for folder in [here, here.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("fahras")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        fatalError("fahras executable not found next to \(here.path); run `swift build` first")
    }()

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `fahras ARGS` in `directory` with extra environment variables and standard input
    /// (with `shell`, runs `/bin/sh ARGS` instead, to set limits first).
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                    input: String? = nil, shell: Bool = false) throws -> Outcome {
        let process = Process()
        process.executableURL = shell ? URL(fileURLWithPath: "/bin/sh") : binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let scratch = NSTemporaryDirectory() + "fahras-cli-" + UUID().uuidString
        precondition(FileManager.default.createFile(atPath: scratch + ".out", contents: nil))
        precondition(FileManager.default.createFile(atPath: scratch + ".err", contents: nil))
        defer {
            try? FileManager.default.removeItem(atPath: scratch + ".out")
            try? FileManager.default.removeItem(atPath: scratch + ".err")
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + ".err"))
        process.standardOutput = out
        process.standardError = err
        let pipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : pipe
        try process.run()
        if let input {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: scratch + ".out")), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: scratch + ".err")), as: UTF8.self))
    }

    /// Runs a search with `--format json` and decodes the answer.
    /// - Parameter collapse: show near-duplicate passages as one hit (off: every matching
    ///   passage is a hit, as most tests count them).
    /// An index of seeds/ at `scratch`/`name`, built by `fahras index`.
    static func seedsIndex(in scratch: Scratch, named name: String = "Index") throws -> String {
        let index = scratch.path + "/" + name
        let built = try run(["index", seeds, "--index", index])
        guard built.status == 0 else { throw CLIFailure(outcome: built) }
        return index
    }

    static func searchJSON(_ query: String, index: String, limit: Int = 100, collapse: Bool = false,
                           options: [String] = []) throws -> [String: Any] {
        let outcome = try run(["search", query, "--index", index, "--format", "json", "--limit", String(limit)]
            + (collapse ? [] : ["--no-collapse"]) + options)
        guard outcome.status == 0, let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any] else {
            throw CLIFailure(outcome: outcome)
        }
        return object
    }

    struct CLIFailure: Error, CustomStringConvertible {
        var outcome: Outcome
        var description: String { "exit \(outcome.status): \(outcome.stderr)" }
    }
}

/// A fresh temporary directory, removed when the value goes away.
final class Scratch: Sendable {
    let path = NSTemporaryDirectory() + "fahras-e2e-" + UUID().uuidString

    init() { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ bytes: [UInt8]) {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        precondition(FileManager.default.createFile(atPath: full, contents: Data(bytes)), "cannot write \(full)")
    }

    func write(_ name: String, _ text: String) { write(name, Array(text.utf8)) }
}

extension Dictionary where Key == String, Value == Any {
    var hits: [[String: Any]] { self["hits"] as? [[String: Any]] ?? [] }
}
