import Testing
@testable import FahrasExtract

@Suite("Extract: no element's attributes stall a run")
struct AttributeBudgetTests {
    func page(attributes: Int, value: String = "x>y") -> [UInt8] {
        let attributes = (0..<attributes).map { "a\($0)=\"\(value)\"" }.joined(separator: " ")
        return Array(("<html><body><div \(attributes)><p>Shelling resumed near Deir Ezzor on Sunday, residents of the"
            + " villages said today.</p></div></body></html>").utf8)
    }

    @Test func attributesPastTheBudgetAreCutAndNoted() throws {
        // Quoted values that hold '>' do not end the tag.
        let trimmed = try #require(page(attributes: 1_500).withUnsafeBufferPointer(AttributeBudget.trimmed))
        #expect(trimmed.cut == 500)
        let kept = String(decoding: trimmed.bytes, as: UTF8.self)
        #expect(kept.contains("a999=\"x>y\"") && !kept.contains("a1000=") && kept.contains("<p>Shelling resumed"))
        let document = try DocumentExtractor().extract(page(attributes: 1_500), format: .html)
        #expect(document.notes == ["500 attributes past 1000 on one element were not read"])
        #expect(document.text.contains("Shelling resumed near Deir Ezzor"))
    }

    @Test func ordinaryPagesAreLeftAlone() throws {
        #expect(page(attributes: AttributeBudget.maximum).withUnsafeBufferPointer(AttributeBudget.trimmed) == nil)
        let unquoted = Array("<p class=a id=b data-x=1 hidden>text <b>bold</b> < not a tag</p><!-- <x a b c> -->".utf8)
        #expect(unquoted.withUnsafeBufferPointer(AttributeBudget.trimmed) == nil)
        // A quote never closed runs to the end of the page (nothing past it is read as a tag).
        let unclosed = Array("<p title=\"never closed <b a b c>".utf8)
        #expect(unclosed.withUnsafeBufferPointer(AttributeBudget.trimmed) == nil)
        let document = try DocumentExtractor().extract(page(attributes: 10), format: .html)
        #expect(document.notes.isEmpty)
    }
}

@Suite("Extract: UTF-16 is named as such")
struct UTF16Tests {
    /// UTF-16 text is full of NUL bytes, and was called binary.
    @Test func aByteOrderMarkSaysUTF16AndHowToConvert() {
        let little: [UInt8] = [0xFF, 0xFE] + Array("Hi".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(throws: ExtractError.utf16(bigEndian: false)) { try DocumentExtractor().extract(little, format: .text) }
        #expect(throws: ExtractError.utf16(bigEndian: true)) { try DocumentExtractor().extract([0xFE, 0xFF, 0, 0x48], format: .html) }
        #expect(ExtractError.utf16(bigEndian: true).description.contains("iconv -f UTF-16BE -t UTF-8"))
        #expect(throws: ExtractError.binary(offset: 3)) { try DocumentExtractor().extract([0x50, 0x4E, 0x47, 0, 1], format: .text) }
    }
}
