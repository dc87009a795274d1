import Testing
import FahrasIndex
@testable import FahrasSearch

@Suite("Search: field filters")
struct FieldFilterTests {
    func days(_ value: String) throws -> (String, String) {
        let range = try FieldFilters.days(value)
        func iso(_ d: Int32) -> String { d == Int32.min + 1 ? "-" : d == Int32.max ? "+" : Schema.isoDate(d) }
        return (iso(range.lowerBound), iso(range.upperBound))
    }

    @Test func datesYearsMonthsAndRanges() throws {
        #expect(try days("2017") == ("2017-01-01", "2017-12-31"))
        #expect(try days("2016-02") == ("2016-02-01", "2016-02-29"))
        #expect(try days("2017-12") == ("2017-12-01", "2017-12-31"))
        #expect(try days("2017-03-04") == ("2017-03-04", "2017-03-04"))
        #expect(try days("2017-03-01..2017-06-30") == ("2017-03-01", "2017-06-30"))
        #expect(try days("2017..2018-02") == ("2017-01-01", "2018-02-28"))
        #expect(try days("2017-03..") == ("2017-03-01", "+"))
        #expect(try days("..2016") == ("-", "2016-12-31"))
        #expect(try days(">=2018-01") == ("2018-01-01", "+"))
        #expect(try days(">2018-01") == ("2018-02-01", "+"))
        #expect(try days("<=2015") == ("-", "2015-12-31"))
        #expect(try days("<2015-06-15") == ("-", "2015-06-14"))
    }

    @Test(arguments: ["2017-13", "2017-02-30", "17", "March", "2017/03", "2018..2017", "..", ">=", "2017-03-04x"])
    func notADateIsAnErrorNamingTheValue(_ value: String) {
        #expect(performing: { _ = try FieldFilters.days(value) }, throws: { error in
            guard case .badFilterValue(let field, let found, _)? = error as? SearchError else { return false }
            return field == "date:" && found == value
        })
    }

    @Test func keywordValuesMatchWholeOrByHost() {
        #expect(FieldFilters.matches(field: "site", stored: "SANA", asked: "sana"))
        #expect(!FieldFilters.matches(field: "site", stored: "sana.sy", asked: "sana"))
        #expect(FieldFilters.matches(field: "host", stored: "news.bbc.co.uk", asked: "bbc.co.uk"))
        #expect(!FieldFilters.matches(field: "host", stored: "notbbc.co.uk", asked: "bbc.co.uk"))
        #expect(FieldFilters.matches(field: "author", stored: "Lina Sinjab, Rami Jarrah", asked: "sinjab"))
        #expect(!FieldFilters.matches(field: "language", stored: "en", asked: "ar"))
    }

    @Test func fieldOperatorsParseIntoFilters() throws {
        let parser = QueryParser(analyzer: .wordChain)
        let query = try parser.parse("isis date:2017 site:SANA.sy lang:ar author:\"Lina Sinjab\" -site:x.org")
        #expect(query.root.must.contains(.filter(.keyword(field: "site", value: "sana.sy"))))
        #expect(query.root.must.contains(.filter(.keyword(field: "language", value: "ar"))))
        #expect(query.root.must.contains(.filter(.keyword(field: "author", value: "lina sinjab"))))
        #expect(query.root.mustNot == [.filter(.keyword(field: "site", value: "x.org"))])
        #expect(!query.isFilterOnly)
        #expect(try parser.parse("date:2017 site:sana.sy").isFilterOnly)
        #expect(throws: SearchError.self) { try parser.parse("isis date:someday") }
    }
}

@Suite("Search: facet helpers")
struct FacetHelperTests {
    /// The galloping search finds what a scan finds, from any start.
    @Test func firstIndexAtOrAboveATargetMatchesAScan() {
        let values = [1, 3, 3, 7, 10, 11, 20, 40, 41, 100]
        for start in 0...values.count {
            for target in -1...101 {
                let scan = (start..<values.count).first { values[$0] >= target } ?? values.count
                #expect(Facets.firstIndex(in: values, notBelow: target, from: start) == scan, "start \(start), target \(target)")
            }
        }
    }
}
