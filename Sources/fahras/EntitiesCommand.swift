import ArgumentParser
import FahrasAnalysis
import FahrasIndex
import FahrasSearch

/// `fahras entities [--all] [--index DIR] [--format text|json]`
struct EntitiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities",
        abstract: "List the gazetteer's entities found in the index, with counts and spellings seen.",
        discussion: """
            The gazetteer is the bundled entity list plus Index/entities.tsv (see
            `fahras index --entities FILE`). A mention of an entity counts for its parents
            too (US forces for the United States). Search one with `fahras search actor:NAME`.
            """)

    @OptionGroup var location: IndexLocation

    @Flag(help: "Also list entities the index never mentions.")
    var all = false

    @Option(help: "Output format: text or json.")
    var format: SearchCommand.Format = .text

    func run() throws {
        let searcher = try location.searcher()
        let reader = searcher.reader
        guard let gazetteer = searcher.analyzer.names?.gazetteer else { return }
        var rows: [(entity: Gazetteer.Entity, passages: Int, forms: [WrittenForm])] = []
        do {
            for entity in gazetteer.entities {
                let passages = try reader.documentFrequency(NameTerms.entity(entity.id))
                guard passages > 0 || all else { continue }
                let forms = passages == 0 ? [] : try searcher.writtenForms(
                    of: Query(text: QueryParser.entityOperator + entity.id, clauses: [.entity(entity.id)]))
                rows.append((entity, passages, forms))
            }
        } catch let error as IndexError {
            throw UserFacingError(error)
        } catch let error as SearchError {
            throw UserFacingError(error)
        }
        rows.sort { $0.passages != $1.passages ? $0.passages > $1.passages : $0.entity.id < $1.entity.id }
        switch format {
        case .json:
            let items = rows.map { row in
                "{\"id\": \(JSONWriter.quoted(row.entity.id)), \"type\": \(JSONWriter.quoted(row.entity.type)), "
                    + "\"parent\": \(row.entity.parent.map(JSONWriter.quoted) ?? "null"), \"passages\": \(row.passages), "
                    + "\"spellings\": [\(row.forms.map(FormFormatter.json).joined(separator: ", "))]}"
            }
            Output.standardOutput("{\"entities\": [\(items.joined(separator: ", "))]}\n")
        case .text:
            if rows.isEmpty {
                Output.standardOutput("No entity of the gazetteer is mentioned in the index.\n")
                return
            }
            var out = ""
            for row in rows {
                let parent = row.entity.parent.map { ", part of \($0)" } ?? ""
                out += "\(row.entity.id) (\(row.entity.type)\(parent)): \(row.passages) passage\(row.passages == 1 ? "" : "s")\n"
                if row.forms.isEmpty {
                    out += "    aliases: " + row.entity.aliases.joined(separator: " | ") + "\n"
                } else {
                    out += FormFormatter.table(row.forms, indent: "    ")
                }
            }
            Output.standardOutput(out)
        }
    }
}
