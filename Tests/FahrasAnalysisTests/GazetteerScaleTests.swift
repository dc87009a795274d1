import Testing
@testable import FahrasAnalysis

@Suite("Gazetteer: large and repetitive lists")
struct GazetteerScaleTests {
    /// One id on 30,000 lines gains each new alias once, in order (each line searched the
    /// whole alias list before: a crafted list of this shape made every search take seconds).
    @Test func anIdRepeatedOnManyLinesGathersItsAliasesOnce() throws {
        var lines = (0..<30_000).map { "same\tactor\t-\tAlias \($0)" }
        lines.append("same\tactor\t-\tAlias 7|Alias 30000")
        var gazetteer = Gazetteer()
        try gazetteer.add(tsv: lines.joined(separator: "\n"), file: "list.tsv")
        let aliases = try #require(gazetteer.entity("same")).aliases
        #expect(aliases.count == 30_001 && aliases.first == "Alias 0" && aliases.last == "Alias 30000")
        #expect(Set(aliases).count == aliases.count)
    }
}
