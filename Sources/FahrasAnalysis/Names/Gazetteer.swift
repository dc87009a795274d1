/// The entity list: actors and places with every alias they are known by.
///
/// Read from `Data/entities.tsv` (bundled) and from user files in the same format, which
/// add entities or aliases of existing ones:
///
/// ```
/// # id            type    parent          aliases, separated by " | "
/// islamic-state   actor   -               ISIS | ISIL | Daesh | Islamic State | داعش
/// us-forces       actor   united-states   US forces | American forces | US troops
/// ```
///
/// An alias of upper-case letters (`US`, `SAA`, `U.S.`) matches only those letters in that
/// case, so the pronoun *us* and the verb *Is* never match. Other words of an alias match
/// any spelling that folds with them. A passage that names an entity also names its
/// parent (a passage about US forces is about the United States).
package struct Gazetteer: Sendable {
    /// One actor or place.
    package struct Entity: Sendable, Equatable {
        package var id: String
        /// `actor` or `place`.
        package var type: String
        package var parent: String?
        /// Every alias as written in the list, in order.
        package var aliases: [String]
    }

    /// The kinds of entity a list may declare.
    package static let types: Set<String> = ["actor", "place"]

    package private(set) var entities: [Entity] = []
    private var indexByID: [String: Int] = [:]
    /// Names the list's contents, for the analyzer signature.
    package private(set) var signature: UInt64 = 0

    /// An empty list.
    package init() {}

    /// The list bundled with Fahras.
    package static let bundled: Gazetteer = {
        do {
            var gazetteer = Gazetteer()
            try gazetteer.add(tsv: String(decoding: PackageResources.entities_tsv, as: UTF8.self), file: "entities.tsv")
            return gazetteer
        } catch {
            fatalError("the bundled Data/entities.tsv is invalid: \(error)")  // a build defect
        }
    }()

    /// The entity with `id`.
    package func entity(_ id: String) -> Entity? {
        indexByID[id].map { entities[$0] }
    }

    /// Adds the entities of a list in the `entities.tsv` format; an id already known gains
    /// the new aliases. Nothing is added when any line is wrong.
    package mutating func add(tsv: String, file: String) throws(AnalysisError) {
        var copy = self
        // The aliases of each entity this list adds to, as a set: an id repeated on many lines
        // searched its alias list for each new alias (30,000 lines of one id: 4 s).
        var known: [Int: Set<String>] = [:]
        for line in DataLines(text: tsv) {
            let f = line.fields
            guard f.count >= 4 else {
                throw .badEntityList(file: file, line: line.number,
                                     reason: "expected 4 tab-separated columns (id, type, parent, aliases), found \(f.count)")
            }
            let id = f[0]
            guard !id.isEmpty, id.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else {
                throw .badEntityList(file: file, line: line.number, reason: "the id '\(id)' must be lower-case letters, digits and '-'")
            }
            guard Gazetteer.types.contains(f[1]) else {
                throw .badEntityList(file: file, line: line.number, reason: "unknown type '\(f[1])' (use actor or place)")
            }
            let parent = f[2] == "-" || f[2].isEmpty ? nil : f[2]
            let aliases = f[3].split(separator: "|").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
            guard !aliases.isEmpty else {
                throw .badEntityList(file: file, line: line.number, reason: "entity '\(id)' has no alias")
            }
            if let existing = copy.indexByID[id] {
                guard copy.entities[existing].type == f[1] else {
                    throw .badEntityList(file: file, line: line.number,
                                         reason: "'\(id)' is already a \(copy.entities[existing].type), not a \(f[1])")
                }
                if known[existing] == nil { known[existing] = Set(copy.entities[existing].aliases) }
                for alias in aliases where known[existing]!.insert(alias).inserted {  // in place: no copy of the set
                    copy.entities[existing].aliases.append(alias)
                }
                if let parent { copy.entities[existing].parent = parent }
            } else {
                copy.indexByID[id] = copy.entities.count
                copy.entities.append(Entity(id: id, type: f[1], parent: parent, aliases: aliases))
            }
        }
        for entity in copy.entities {
            var seen: Set<String> = [entity.id]
            var current = entity.parent
            while let parent = current {
                guard let index = copy.indexByID[parent] else {
                    throw .badEntityList(file: file, line: 0, reason: "'\(entity.id)' names the parent '\(parent)', which no list defines")
                }
                guard seen.insert(parent).inserted else {
                    throw .badEntityList(file: file, line: 0, reason: "'\(entity.id)' is its own ancestor through '\(parent)'")
                }
                current = copy.entities[index].parent
            }
        }
        copy.signature = fingerprint(Array(tsv.utf8) + withUnsafeBytes(of: signature) { Array($0) })
        self = copy
    }

    /// The ids of `id` and of its ancestors, nearest first.
    package func lineage(of id: String) -> [String] {
        var out: [String] = []
        var current: String? = id
        while let next = current, let entity = entity(next) {
            out.append(next)
            current = entity.parent
        }
        return out
    }
}
