import Foundation

/// An index directory on disk: reading its last commit, and writing new ones.
///
/// Files are never changed once written. A commit (see ``IndexTransaction``) writes new
/// segment and companion files, flushes them and the directory, then replaces
/// `manifest.json` by an atomic rename; only then are files no manifest names removed. A
/// crash at any moment leaves either the old manifest with its files or the new one with
/// its files: never a mix, never a half-written file that a reader would open.
package struct IndexDirectory: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// The manifest's path: a commit replaces this file by a rename.
    package var manifestPath: String { file(Manifest.fileName) }

    func file(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    /// The current manifest, checked, or `nil` when the directory holds no index.
    package func readManifest() throws(IndexError) -> Manifest? {
        let manifestPath = file(Manifest.fileName)
        guard let bytes = try FileIO.readFile(manifestPath) else { return nil }
        return try Manifest.decode(bytes, file: manifestPath)
    }

    /// The error for a directory without a manifest: not found, or damaged when index
    /// files are there.
    package func missingManifestError() -> IndexError {
        let names = FileIO.listDirectory(path)
        if names.contains(where: { IndexDirectory.isIndexFile($0) && !$0.hasSuffix(".tmp") }) {
            return .manifestMissing(directory: path)
        }
        return .notFound(directory: path)
    }

    /// The bytes of a companion file, checked against the size and CRC the manifest records.
    package func read(_ companion: Manifest.Companion) throws(IndexError) -> (path: String, bytes: [UInt8]) {
        let companionPath = file(companion.file)
        guard let bytes = try FileIO.readFile(companionPath, expectedSize: companion.bytes) else { throw .missingFile(file: companionPath) }
        guard UInt64(bytes.count) == companion.bytes, CRC32.checksum(bytes) == companion.crc32 else {
            throw .corrupt(file: companionPath, reason: "size or checksum differs from what \(Manifest.fileName) records")
        }
        return (companionPath, bytes)
    }

    /// Opens one segment the manifest names, checking it against the manifest's entry.
    package func openSegment(_ entry: Manifest.Segment) throws(IndexError) -> SegmentReader {
        let segmentPath = file(entry.file)
        let reader = try SegmentReader(path: segmentPath)
        guard reader.fileSize == entry.bytes, reader.footerCRC == entry.crc32 else {
            throw .corrupt(file: segmentPath, reason: "size or checksum differs from what \(Manifest.fileName) records")
        }
        guard reader.documentCount == entry.documents, reader.passageCount == entry.passages,
              reader.termCount == entry.terms, reader.totalLength == entry.totalLength else {
            throw .corrupt(file: segmentPath, reason: "its counts differ from what \(Manifest.fileName) records")
        }
        return reader
    }

    /// Opens the last commit for reading.
    ///
    /// - Parameter signature: given the manifest, returns the signature of the analyzer the
    ///   caller will query with (reading the companion files it needs with ``read(_:)``); a
    ///   different signature in the manifest is an error, since terms would not match.
    ///
    /// A writer may commit, and remove the files of the commit being opened, while this
    /// runs; a file gone missing is then retried from the new manifest (as Lucene does), so
    /// the reader always gets one whole commit.
    package func open(signature: (Manifest) throws -> String) throws -> IndexReader {
        var attempt = 0
        while true {
            attempt += 1
            guard let manifest = try readManifest() else { throw missingManifestError() }
            do {
                let expected = try signature(manifest)
                if manifest.analyzer.signature != expected {
                    throw IndexError.analyzerMismatch(directory: path, found: manifest.analyzer.signature, expected: expected)
                }
                var segments: [SegmentReader] = []
                for entry in manifest.segments { segments.append(try openSegment(entry)) }
                return try IndexReader(directory: path, manifest: manifest, segments: segments)
            } catch IndexError.missingFile(let missing) {
                // Retry only if a newer commit replaced the one we read.
                guard attempt < 20, let now = try? readManifest(), now.generation != manifest.generation else {
                    throw IndexError.missingFile(file: missing)
                }
            }
        }
    }

    /// Opens the last commit, with a fixed analyzer signature (`nil`: any).
    package func open(analyzer: String? = nil) throws(IndexError) -> IndexReader {
        do {
            return try open { manifest in analyzer ?? manifest.analyzer.signature }
        } catch let error as IndexError {
            throw error
        } catch {
            throw .io(path: path, operation: "open index", message: String(describing: error))
        }
    }

    /// Starts writing a new commit on top of `previous` (`nil`: the directory's first).
    package func beginTransaction(after previous: Manifest?) throws(IndexError) -> IndexTransaction {
        try FileIO.createDirectory(path)
        var highest = 0
        for name in (previous.map { $0.segments.map(\.file) + $0.files.map(\.file) } ?? []) + FileIO.listDirectory(path) {
            if let number = IndexDirectory.number(in: name) { highest = max(highest, number) }
        }
        return IndexTransaction(directory: self, previous: previous, nextNumber: highest + 1)
    }

    // MARK: File names

    static let segmentPrefix = "seg-"
    static let companionPrefix = "entities-"

    static func numbered(_ prefix: String, _ number: Int, _ ext: String) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + "." + ext
    }

    /// The number in a segment or companion file name, temporary or not.
    static func number(in name: String) -> Int? {
        var stem = Substring(name)
        if stem.hasSuffix(".tmp") { stem = stem.dropLast(4) }
        for (prefix, ext) in [(segmentPrefix, SegmentFormat.fileExtension), (companionPrefix, "tsv")]
        where stem.hasPrefix(prefix) && stem.hasSuffix("." + ext) {
            return Int(stem.dropFirst(prefix.count).dropLast(ext.count + 1))
        }
        return nil
    }

    /// Files that belong to the index's machinery (segments, companions, temporaries),
    /// whether or not a manifest names them; other files (a README) are never touched.
    static func isIndexFile(_ name: String) -> Bool {
        number(in: name) != nil || name == Manifest.fileName + ".tmp"
    }

    /// Removes index files the manifest does not name: the previous commit's and those of
    /// interrupted runs.
    func removeUnreferencedFiles(keeping manifest: Manifest) {
        let live = Set(manifest.segments.map(\.file) + manifest.files.map(\.file))
        for name in FileIO.listDirectory(path) where IndexDirectory.isIndexFile(name) && !live.contains(name) {
            FileIO.remove(file(name))
        }
    }
}

/// One commit being written: new files first, then the manifest that names them.
///
/// If the commit fails (a full disk, an I/O error), the files it wrote are removed and the
/// previous commit stays as it was.
package final class IndexTransaction {
    package let directory: IndexDirectory
    /// The commit this one replaces.
    package let previous: Manifest?
    private var nextNumber: Int
    private var written: [String] = []
    private var committed = false

    init(directory: IndexDirectory, previous: Manifest?, nextNumber: Int) {
        self.directory = directory
        self.previous = previous
        self.nextNumber = nextNumber
    }

    private func writeNew(_ bytes: [UInt8], name: String) throws(IndexError) {
        let temporary = directory.file(name + ".tmp")
        try FileIO.writeDurably(bytes, to: temporary)
        written.append(name)
        try FileIO.rename(temporary, to: directory.file(name))
    }

    /// Writes a new segment file as `produce` lays it out into a sink on the disk; returns
    /// its manifest entry, or `nil` (and no file) when it holds no document.
    package func writeSegment(_ produce: (inout FileSink) throws(IndexError) -> SegmentSummary) throws(IndexError) -> Manifest.Segment? {
        let name = IndexDirectory.numbered(IndexDirectory.segmentPrefix, nextNumber, SegmentFormat.fileExtension)
        nextNumber += 1
        let temporary = directory.file(name + ".tmp")
        FileIO.remove(temporary)  // a run killed before its rename left it
        var sink = try FileSink(creating: temporary)
        let summary: SegmentSummary
        do {
            summary = try produce(&sink)
            try sink.close()
        } catch {
            sink.discard()
            throw error
        }
        guard summary.documents > 0 else {
            FileIO.remove(temporary)
            return nil
        }
        written.append(name)
        try FileIO.rename(temporary, to: directory.file(name))
        return Manifest.Segment(
            file: name, bytes: UInt64(summary.size), crc32: summary.crc32, documents: summary.documents,
            passages: summary.passages, terms: summary.terms, totalLength: summary.totalLength)
    }

    /// Writes a new companion file (the user's entity list); returns its manifest entry.
    package func writeCompanion(_ bytes: [UInt8], role: String) throws(IndexError) -> Manifest.Companion {
        let name = IndexDirectory.numbered(IndexDirectory.companionPrefix, nextNumber, "tsv")
        nextNumber += 1
        try writeNew(bytes, name: name)
        return Manifest.Companion(file: name, role: role, bytes: UInt64(bytes.count), crc32: CRC32.checksum(bytes))
    }

    /// Makes `manifest` the index's commit point, then removes the files it does not name.
    package func commit(_ manifest: Manifest) throws(IndexError) {
        let manifestPath = directory.file(Manifest.fileName)
        let temporary = manifestPath + ".tmp"
        try FileIO.writeDurably(try manifest.encoded(file: temporary), to: temporary)
        // The new files' names must be on disk before the manifest that names them.
        try FileIO.syncDirectory(directory.path)
        try FileIO.rename(temporary, to: manifestPath)
        committed = true
        try FileIO.syncDirectory(directory.path)
        directory.removeUnreferencedFiles(keeping: manifest)
    }

    /// Removes what this transaction wrote, if it was not committed.
    package func abandon() {
        guard !committed else { return }
        for name in written { FileIO.remove(directory.file(name)) }
        FileIO.remove(directory.file(Manifest.fileName + ".tmp"))
        written.removeAll()
    }

    deinit { abandon() }
}
