import FahrasAnalysis
import FahrasIndex

/// A hit and the near-duplicates of its passage (``Fingerprint``) in the whole index.
struct CopyGroup {
    /// The best-ranked matching passage of the group.
    var best: TopPassageCollector.Entry
    /// The passage shown: the earliest copy (by its article's date).
    var lead: Int
    /// The group's other passages, earliest first.
    var others: [Int] = []

    init(best: TopPassageCollector.Entry) {
        self.best = best
        lead = best.passage
    }
}

extension Searcher {
    /// The fingerprint of global passage `passage` (0: none).
    func fingerprint(_ passage: Int) throws(IndexError) -> UInt64 {
        guard let (segment, local) = reader.locate(passage) else { return 0 }
        return try segment.fingerprint(local)
    }

    /// The day of global passage `passage`'s article, if known.
    func day(of passage: Int) -> Int32? {
        guard let (segment, local) = reader.locate(passage) else { return nil }
        return segment.fields.day("date", document: segment.documentNumber(ofPassage: local))
    }

    /// The first `limit` groups of `ranked`, a passage joining the first group it is a copy
    /// of; each group then gathers every live copy in the index and is led by the earliest.
    /// A group whose text stands on ``templatePages`` or more documents of one site is that
    /// site's template (a teaser, a bio, a reader comment shown under every story), not
    /// article text, and is left out with its copies (`templates: false` keeps it).
    func collapse(_ ranked: [TopPassageCollector.Entry], limit: Int, templates: Bool = false) throws(IndexError) -> [CopyGroup] {
        var kept: [CopyGroup] = []
        var filed = CopyIndex()
        var next = 0
        // Groups are formed a batch at a time: a template left out makes room for the next.
        while kept.count < limit && next < ranked.count {
            var batch: [CopyGroup] = []
            var prints: [UInt64] = []
            while next < ranked.count && batch.count < limit - kept.count {
                let entry = ranked[next]
                next += 1
                let print = try fingerprint(entry.passage)
                if print != 0, !filed.copies(of: print).isEmpty { continue }
                batch.append(CopyGroup(best: entry))
                prints.append(print)
                if print != 0 { filed.add(print) }
            }
            let copies = try copyTable.copies(of: prints)
            for g in batch.indices {
                if prints[g] != 0 {
                    if !templates, isTemplate(copies[g]) { continue }
                    try order(&batch[g], copies: copies[g])
                }
                kept.append(batch[g])
            }
        }
        return kept
    }

    /// Documents of one site that make a passage's text the site's template.
    package static let templatePages = 5

    /// Whether `copies` (global passages) fall in ``templatePages`` or more documents of one site.
    private func isTemplate(_ copies: [Int]) -> Bool {
        guard copies.count >= Searcher.templatePages else { return false }
        // A document is its segment's first global passage and its number there.
        struct Document: Hashable { var segment: Int, number: Int }
        var documents: [String: Set<Document>] = [:]
        for p in copies {
            guard let (segment, local) = reader.locate(p) else { continue }
            let number = segment.documentNumber(ofPassage: local)
            guard let site = segment.fields.value("site", document: number)?.text else { continue }
            if documents[site, default: []].insert(Document(segment: p - local, number: number)).inserted,
               documents[site]!.count >= Searcher.templatePages {
                return true
            }
        }
        return false
    }

    /// Leads `group` with its earliest copy: earliest date first, undated last; then the
    /// passage that matched; then by document path and position, which do not depend on how
    /// the index is cut.
    private func order(_ group: inout CopyGroup, copies: [Int]) throws(IndexError) {
        var keys: [Int: (Int32, Int, String, Int)] = [:]
        for p in copies {
            guard let (segment, local) = reader.locate(p) else { continue }
            let number = segment.documentNumber(ofPassage: local)
            let (path, first) = try segment.documentPath(number)
            keys[p] = (segment.fields.day("date", document: number) ?? .max, p == group.best.passage ? 0 : 1, path, local - first)
        }
        let ordered = copies.filter { keys[$0] != nil }.sorted { keys[$0]! < keys[$1]! }
        group.lead = ordered.first ?? group.best.passage
        group.others = Array(ordered.dropFirst())
    }

    /// A copy as a hit lists it.
    func copy(_ passage: Int) throws(IndexError) -> Copy {
        guard let (segment, local) = reader.locate(passage) else { throw .corrupt(file: reader.directory, reason: "passage \(passage) does not exist") }
        let number = segment.documentNumber(ofPassage: local)
        let (path, first) = try segment.documentPath(number)
        let fields = segment.fields
        return Copy(passage: passage, document: try reader.shownPath(path, segment: segment, number: number), ordinal: local - first,
                    date: fields.day("date", document: number).map(Schema.isoDate),
                    site: fields.value("site", document: number)?.text)
    }

    /// Every match in the order `sort` asks: by score (ties as top-k breaks them), or by
    /// date, undated last, then score.
    func rank(_ all: [TopPassageCollector.Entry], by sort: SearchOptions.Sort) -> [TopPassageCollector.Entry] {
        let ties = self.ties
        func byScore(_ a: TopPassageCollector.Entry, _ b: TopPassageCollector.Entry) -> Bool {
            a.score != b.score ? a.score > b.score : ties.precedes(a.passage, b.passage)
        }
        if sort == .score { return all.sorted(by: byScore) }
        let days = all.map { day(of: $0.passage) }
        let order = all.indices.sorted { i, j in
            switch (days[i], days[j]) {
            case let (x?, y?) where x != y: return sort == .date ? x < y : x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return byScore(all[i], all[j])
            }
        }
        return order.map { all[$0] }
    }
}
