import Foundation
import Testing
@testable import FahrasIndex

@Suite("Index: typed fields as columns")
struct FieldColumnsTests {
    @Test func everyFieldAndFingerprintReadsBackAsWritten() throws {
        let dir = TemporaryDirectory()
        let segment = try opened(built(mergeDocuments), in: dir, as: "f.fsg")
        let columns = segment.fields
        #expect(columns.day("date", document: 0) == 17_000)
        #expect(columns.day("date", document: 1) == nil, "a document without a date has none")
        #expect(columns.values("site") == ["a.example", "z.example"], "values sorted by bytes")
        #expect(columns.ordinal("site", document: 2).map { columns.values("site")[$0] } == "a.example")
        #expect(columns.ordinal("site", document: 1) == nil)
        #expect(columns.value("url", document: 0) == .text("https://z.example/a"))
        #expect(columns.value("url", document: 2) == nil, "an empty stored value is no value")
        #expect(try segment.document(2).fields == mergeDocuments[2].fields)
        let prints = try segment.fingerprints()
        var number = 0
        for document in mergeDocuments {
            for passage in document.passages {
                #expect(prints[number] == passage.fingerprint)
                #expect(try segment.fingerprint(number) == passage.fingerprint)
                number += 1
            }
        }
    }

    @Test func daysAndISODatesConvertBothWays() {
        #expect(Schema.day(year: 1970, month: 1, day: 1) == 0)
        #expect(Schema.day(iso: "2016-02-29") == Schema.day(year: 2016, month: 3, day: 1) - 1)
        #expect(Schema.isoDate(Schema.day(year: 2017, month: 3, day: 4)) == "2017-03-04")
        #expect(Schema.isoDate(-1) == "1969-12-31")
        #expect(Schema.day(iso: "2017-13-01") == nil && Schema.day(iso: "17-03-04") == nil && Schema.day(iso: "March") == nil)
    }

    /// A commit's time stamp, as Foundation's formatter writes it: midnights, a leap day,
    /// the last second of a year, before 1970, and the seconds of a day in turn.
    @Test func timestampsAreWrittenAsFoundationWritesThem() {
        let formatter = ISO8601DateFormatter()
        let instants: [Int64] = [0, 59, 3_599, 86_399, 86_400, 951_782_400, 1_456_704_000 + 86_399, 1_483_228_799,
                                 1_796_601_612, 4_102_444_800, -1, -86_400, -86_401]
            + (0..<200).map { 1_700_000_000 + $0 * 433 }
        for t in instants {
            #expect(Schema.isoTimestamp(secondsSince1970: t) == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(t))), "\(t)")
        }
        #expect(Schema.isoTimestamp(secondsSince1970: 951_868_799) == "2000-02-29T23:59:59Z")
    }
}
