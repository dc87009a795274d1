import Fahras
import Foundation

/// The commit the server answers from: the one open, or the next one once `fahras index`
/// (or an ``IndexWriter``) has committed it, without a restart.
final class IndexHolder: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var index: SearchIndex?
    /// When the manifest was last looked at: a stat a request at most every this often.
    private var checked = DispatchTime(uptimeNanoseconds: 0)
    private let checkInterval: UInt64

    /// `opened`: the commit already open (`fahras serve` opens it to report a bad index
    /// before listening), served until a newer one.
    init(path: String, opened: SearchIndex? = nil, checkInterval: Double = 0.5) {
        self.path = path
        index = opened
        self.checkInterval = UInt64(checkInterval * 1e9)
    }

    /// The latest commit; an error when there is none (yet) or it cannot be opened. A commit
    /// that cannot be opened leaves the previous one serving.
    func current() throws(FahrasError) -> SearchIndex {
        lock.lock()
        defer { lock.unlock() }
        let now = DispatchTime.now()
        if let index, now.uptimeNanoseconds - checked.uptimeNanoseconds < checkInterval { return index }
        checked = now
        if let index, !index.hasNewerCommit { return index }
        do {
            let opened = try SearchIndex(at: path)
            index = opened
            return opened
        } catch {
            if let index { return index }
            throw error
        }
    }
}
