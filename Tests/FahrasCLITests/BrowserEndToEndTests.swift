import Foundation
import Testing

/// Whether this machine can drive a real browser: Debian's chromium and chromium-driver,
/// and Python's selenium (`.ci/run` installs all three).
enum Browser {
    static let available: Bool = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        func onPath(_ name: String) -> Bool { paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") } }
        guard onPath("chromium") && onPath("chromedriver") else { return false }
        return (try? CLI.run(["-c", "python3 -c 'import selenium'"], shell: true).status) == 0
    }()
}

@Suite("Web page in a real browser")
struct BrowserEndToEndTests {
    /// scripts/browser-test against `fahras serve` on the seeds: a variant spelling typed,
    /// hits highlighted, a facet clicked, an article opened, each step asserted.
    @Test(.enabled(if: Browser.available, "needs chromium, chromedriver and Python's selenium (.ci/run installs them)"))
    func searchFacetAndArticleInHeadlessChromium() throws {
        let out = NSTemporaryDirectory() + "fahras-browser-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let script = CLI.packageRoot.appendingPathComponent("scripts/browser-test").path
        let run = try CLI.run(["-c", "SE_AVOID_STATS=true python3 \"$0\" --fahras \"$1\" --out \"$2\"", script, CLI.binary.path, out], shell: true)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("marked passage"), "\(run.stdout)")
        for shot in ["1-start.png", "2-hits.png", "3-facet.png", "4-article.png"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + shot), "\(shot)")
        }
    }
}
