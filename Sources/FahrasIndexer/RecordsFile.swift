#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import FahrasExtract
import FahrasIndex

/// A JSON Lines file that a program writes articles into from memory, through the library,
/// before the file is indexed like any other source.
///
/// The file, not the index, holds the articles: a rebuild (asked for, or after an analyzer
/// change) reads them again, `--text external` shows their passages from it, and a person
/// can read and edit it. A record whose id the file holds replaces that record's line in
/// place (and any later line with the same id); other lines, blank ones and members Fahras
/// does not read included, are kept byte for byte; new records are appended in the order
/// given. The new file is written beside the old one and renamed over it, under an
/// exclusive `flock` on the file, so writers in several processes each see the others'
/// records and a reader sees the old file or the new one.
package enum RecordsFile {
    /// What a merge did, by record id.
    package struct Change: Sendable, Equatable {
        package var added: [String] = []
        package var replaced: [String] = []
        package var removed: [String] = []
        /// Ids asked to be removed that the file did not hold.
        package var notFound: [String] = []
        /// Records in the file afterwards (its lines that are not blank).
        package var remaining = 0
    }

    /// Merges `records` into the file at `path` (created if missing; its folder must exist)
    /// and removes the records whose ids are in `removing`. Nothing is written when the
    /// records or the file are unusable.
    package static func merge(_ records: [JSONLinesRecord], removing: [String], into path: String) throws(IndexerError) -> Change {
        try check(records, removing: removing, path: path)
        let lock = try locked(path)
        defer { close(lock.fd) }
        do throws(IndexerError) {
            let old = try io { () throws(IndexError) in try FileIO.readFile(path) ?? [] }
            let (bytes, change) = try merged(old, records: records, removing: Set(removing), path: path)
            let temporary = path + ".fahras-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
            try io { () throws(IndexError) in try FileIO.writeDurably(bytes, to: temporary) }
            if lock.created == false { _ = chmod(temporary, lock.mode) }
            do throws(IndexError) { try FileIO.rename(temporary, to: path) } catch { unlink(temporary); throw .index(error) }
            try io { () throws(IndexError) in try FileIO.syncDirectory(folder(of: path)) }
            return change
        } catch {
            if lock.created { unlink(path) }
            throw error
        }
    }

    /// `body`'s file error as the indexer's.
    private static func io<T>(_ body: () throws(IndexError) -> T) throws(IndexerError) -> T {
        do { return try body() } catch { throw .index(error) }
    }

    /// The records' problems, before the file is touched.
    private static func check(_ records: [JSONLinesRecord], removing: [String], path: String) throws(IndexerError) {
        guard SourceFormat(fileName: path) == .jsonLines else {
            throw .records(path: path, line: nil, reason: "a records file must end in .jsonl or .ndjson, as the indexer reads it")
        }
        var seen = Set<String>()
        for (k, record) in records.enumerated() {
            if record.id.isEmpty { throw .records(path: path, line: nil, reason: "record \(k + 1) of those given has an empty id") }
            if !seen.insert(record.id).inserted {
                throw .records(path: path, line: nil, reason: "the id \(record.id) is given twice; give each record once")
            }
        }
        if let both = removing.first(where: seen.contains) {
            throw .records(path: path, line: nil, reason: "the id \(both) is both given and to be removed")
        }
    }

    /// The file opened and locked, once the lock is on the inode the path names (another
    /// writer may have renamed a new file over it while this one waited).
    private static func locked(_ path: String) throws(IndexerError) -> (fd: Int32, created: Bool, mode: mode_t) {
        while true {
            var before = stat()
            let existed = stat(path, &before) == 0
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .index(.io(path: path, operation: "open", message: FileIO.errorMessage())) }
            var held = stat()
            var named = stat()
            guard flock(fd, LOCK_EX) == 0, fstat(fd, &held) == 0 else {
                let message = FileIO.errorMessage()
                close(fd)
                throw .index(.io(path: path, operation: "lock", message: message))
            }
            guard held.st_mode & S_IFMT == S_IFREG else {
                close(fd)
                throw .records(path: path, line: nil, reason: "it is not a regular file")
            }
            if stat(path, &named) == 0 && named.st_ino == held.st_ino && named.st_dev == held.st_dev {
                return (fd, !existed && held.st_size == 0, held.st_mode & 0o7777)
            }
            close(fd)
        }
    }

    /// The file's new bytes, and what changed.
    private static func merged(_ old: [UInt8], records: [JSONLinesRecord], removing: Set<String>,
                               path: String) throws(IndexerError) -> ([UInt8], Change) {
        var change = Change()
        var given = [String: Int]()
        for (k, record) in records.enumerated() { given[record.id] = k }
        var placed = Set<String>()
        var found = Set<String>()
        var out: [UInt8] = []
        out.reserveCapacity(old.count + records.reduce(0) { $0 + $1.text.utf8.count + 64 })
        var start = 0
        var line = 0
        while start < old.count {
            line += 1
            var end = start
            while end < old.count && old[end] != 0x0A { end += 1 }
            let bytes = old[start..<end]
            start = end + 1
            guard let id = try id(of: bytes, line: line, path: path) else {
                out.append(contentsOf: bytes)
                out.append(0x0A)
                continue
            }
            if removing.contains(id) {
                if found.insert(id).inserted { change.removed.append(id) }
            } else if let k = given[id] {
                if placed.insert(id).inserted {
                    out.append(contentsOf: Self.line(records[k]))
                    change.replaced.append(id)
                    change.remaining += 1
                }
            } else {
                out.append(contentsOf: bytes)
                out.append(0x0A)
                change.remaining += 1
            }
        }
        for record in records where !placed.contains(record.id) {
            out.append(contentsOf: Self.line(record))
            change.added.append(record.id)
            change.remaining += 1
        }
        change.notFound = removing.filter { !found.contains($0) }.sorted()
        return (out, change)
    }

    /// The id of the record on one line of the file, or `nil` for a blank line.
    private static func id(of bytes: ArraySlice<UInt8>, line: Int, path: String) throws(IndexerError) -> String? {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        let result: Result<JSONLinesRecord, ExtractError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ExtractError) in try JSONLinesReader.record(onLine: buffer, line: line) }
        }
        switch result {
        case .success(let record): return record.id
        case .failure(.badRecord(_, let reason)):
            throw .records(path: path, line: line, reason: reason + "; fix or remove that line, nothing was written")
        case .failure(let error):
            throw .records(path: path, line: line, reason: error.description + "; nothing was written")
        }
    }

    /// A record as one line: `id`, `title`, `text`, then its article fields in a fixed order.
    static func line(_ record: JSONLinesRecord) -> [UInt8] {
        var members = [("id", record.id), ("title", record.title), ("text", record.text)]
        for name in ["date", "url", "site", "author", "lang"] {
            if let value = record.fields[name] { members.append((name, value)) }
        }
        var out: [UInt8] = [0x7B]
        for (k, (name, value)) in members.enumerated() {
            if k > 0 { out.append(0x2C) }
            out.append(contentsOf: quoted(name))
            out.append(0x3A)
            out.append(contentsOf: quoted(value))
        }
        out.append(contentsOf: [0x7D, 0x0A])
        return out
    }

    /// `value` as a JSON string (Foundation's encoder: newlines and quotes escaped).
    private static func quoted(_ value: String) -> [UInt8] {
        // A string is always encodable: the call cannot fail.
        Array(try! JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
    }

    private static func folder(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }
}
