import ArgumentParser
import Fahras
import FahrasJSON

/// `fahras entities [--all] [--index DIR] [--format text|json]`
struct EntitiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities",
        abstract: "List the gazetteer's entities found in the index, with counts and spellings seen.",
        discussion: """
            The gazetteer is the bundled entity list plus the list given to \
            `fahras index --entities FILE`, of which the index keeps a copy \
            (entities-NUMBER.tsv in the index folder). A mention of an entity counts for its parents \
            too (US forces for the United States). Search one with `fahras search actor:NAME`.
            """)

    @OptionGroup var location: IndexLocation

    @Flag(help: "Also list entities the index never mentions.")
    var all = false

    @Option(help: "Output format: text or json.")
    var format: SearchCommand.Format = .text

    func run() throws {
        let index = try location.open()
        let rows: [EntitySummary]
        do { rows = try index.entities(includingUnmentioned: all) } catch { throw UserFacingError(error) }
        switch format {
        case .json:
            Output.standardOutput(JSONShapes.entities(rows) + "\n")
        case .text:
            if rows.isEmpty {
                Output.standardOutput("No entity of the gazetteer is mentioned in the index.\n")
                return
            }
            var out = ""
            for row in rows {
                let parent = row.parent.map { ", part of \($0)" } ?? ""
                out += "\(row.id) (\(row.type)\(parent)): \(row.passages) passage\(row.passages == 1 ? "" : "s")\n"
                if row.spellings.isEmpty {
                    out += "    aliases: " + row.aliases.joined(separator: " | ") + "\n"
                } else {
                    out += FormFormatter.table(row.spellings, indent: "    ")
                }
            }
            Output.standardOutput(out)
        }
    }
}
