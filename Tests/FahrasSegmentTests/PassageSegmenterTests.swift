import Testing
@testable import FahrasSegment

@Suite("Segment: passages with offsets")
struct PassageSegmenterTests {
    @Test func paragraphsArePassagesWithExactOffsets() {
        let text = "First paragraph, with Ḩimş in it.\n\nSecond one.\n\nThird — with an em dash."
        let passages = PassageSegmenter().passages(of: text)
        #expect(passages.map(\.text) == ["First paragraph, with Ḩimş in it.", "Second one.", "Third — with an em dash."])
        #expect(passages.map(\.ordinal) == [0, 1, 2])
        let bytes = Array(text.utf8)
        for passage in passages {
            #expect(String(decoding: bytes[passage.range], as: UTF8.self) == passage.text)
        }
    }

    @Test func longParagraphIsCutAtSentenceEnds() {
        let sentence = "The army advanced towards the town of al-Mayadin on Tuesday. "
        let text = String(repeating: sentence, count: 30).trimmingSuffixSpaces
        let segmenter = PassageSegmenter(maximumLength: 200)
        let passages = segmenter.passages(of: text)
        #expect(passages.count > 1)
        let bytes = Array(text.utf8)
        for passage in passages {
            #expect(passage.text.utf8.count <= 200)
            #expect(passage.text.hasSuffix("Tuesday."))
            #expect(passage.text.hasPrefix("The army"))
            #expect(String(decoding: bytes[passage.range], as: UTF8.self) == passage.text)
        }
        // Nothing is lost: the windows cover every sentence.
        #expect(passages.map(\.text).joined(separator: " ") == text)
    }

    @Test func abbreviationsAndDecimalsDoNotEndSentences() {
        let text = "Prices rose 3.5 percent, e.g. in Homs. Then it ended. " + String(repeating: "x ", count: 20)
        let passages = PassageSegmenter(maximumLength: 40).passages(of: text)
        #expect(passages[0].text == "Prices rose 3.5 percent, e.g. in Homs.")
    }

    @Test func sentenceLongerThanTheLimitIsCutAtSpaces() {
        let text = String(repeating: "word ", count: 100).trimmingSuffixSpaces
        let passages = PassageSegmenter(maximumLength: 64).passages(of: text)
        for passage in passages {
            #expect(passage.text.utf8.count <= 64)
            #expect(!passage.text.hasPrefix(" ") && !passage.text.hasSuffix(" "))
            #expect(passage.text.split(separator: " ").allSatisfy { $0 == "word" })
        }
        #expect(passages.map(\.text).joined(separator: " ") == text)
    }

    @Test func textWithoutSpacesIsCutAtCharacterBoundaries() {
        let text = String(repeating: "دير", count: 100)  // two-byte letters
        let passages = PassageSegmenter(maximumLength: 33).passages(of: text)
        #expect(passages.map(\.text).joined() == text)
        for passage in passages {
            #expect(passage.text.utf8.count <= 33)
            #expect(passage.text.unicodeScalars.allSatisfy { "دير".unicodeScalars.contains($0) })
        }
    }

    @Test func emptyAndBlankTextHasNoPassages() {
        #expect(PassageSegmenter().passages(of: "").isEmpty)
        #expect(PassageSegmenter().passages(of: "\n\n \n\n").isEmpty)
    }
}

extension String {
    var trimmingSuffixSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
