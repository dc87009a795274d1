import Testing
@testable import FahrasExtract

@Suite("Extract: bad input is an error that says what is wrong")
struct InputCheckTests {
    let extractor = DocumentExtractor()

    @Test func emptyFile() {
        #expect(throws: ExtractError.empty) { try extractor.extract([], format: .text) }
        #expect(throws: ExtractError.empty) { try extractor.extract([0xEF, 0xBB, 0xBF], format: .text) }
    }

    @Test func binaryFileNamesTheNULOffset() {
        let bytes: [UInt8] = Array("%PDF-1.4 header".utf8) + [0, 1, 2]
        #expect(throws: ExtractError.binary(offset: 15)) { try extractor.extract(bytes, format: .text) }
    }

    @Test func invalidUTF8NamesTheOffset() {
        let bytes: [UInt8] = Array("Deir ez-Zor ".utf8) + [0xC3, 0x28] + Array(" more text".utf8)
        #expect(throws: ExtractError.invalidUTF8(offset: 12)) { try extractor.extract(bytes, format: .text) }
        // Overlong encodings and surrogates are not UTF-8 either.
        #expect(throws: ExtractError.invalidUTF8(offset: 0)) { try extractor.extract([0xC0, 0xAF], format: .text) }
        #expect(throws: ExtractError.invalidUTF8(offset: 0)) { try extractor.extract([0xED, 0xA0, 0x80], format: .text) }
    }

    /// The validator reads ASCII 32 and 8 bytes at a time: a bad or good sequence at every
    /// offset around those words must be judged as a byte-at-a-time reading judges it, and
    /// a NUL found at every offset.
    @Test func validationAndNULAtEveryOffset() {
        let sequences: [[UInt8]] = [
            [0xC3, 0xA9], [0xD8, 0xAF], [0xE2, 0x80, 0x99], [0xF0, 0x9F, 0x98, 0x80],  // well formed
            [0xC3, 0x28], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xE2, 0x80], [0xFF],  // ill formed, or cut short at the end
        ]
        for sequence in sequences {
            for offset in 0..<72 {
                for tail in [0, 1, 9] {
                    let bytes = Array(repeating: UInt8(ascii: "a"), count: offset) + sequence
                        + Array(repeating: UInt8(ascii: "b"), count: tail)
                    let expected = String(validating: bytes, as: UTF8.self) == nil ? offset : nil
                    #expect(bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidByte(in: $0) } == expected,
                            "\(sequence) after \(offset) ASCII bytes, \(tail) after")
                }
            }
        }
        for offset in 0..<20 {
            var bytes = Array("Deir ez-Zor, Deir al-Zour".utf8)
            bytes[offset] = 0
            #expect(throws: ExtractError.binary(offset: offset)) { try extractor.extract(bytes, format: .text) }
        }
    }

    @Test func whitespaceAboveASCIIIsUnicodesWhiteSpace() {
        for value in UInt32(0x80)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if BlockBuilder.isWhitespace(scalar) != scalar.properties.isWhitespace {
                Issue.record("U+\(String(value, radix: 16)): the list and the White_Space property differ")
            }
        }
    }

    @Test func htmlWithDeclaredCharsetIsDecodedByLibxml2() throws {
        // "Alep et Damas: l'armée avance." in ISO-8859-1, with a <meta charset> declaration.
        var bytes = Array("<html><head><meta charset=\"iso-8859-1\"><title>Syrie</title></head><body><p>Alep et Damas: l'arm".utf8)
        bytes += [0xE9, 0x65]  // "ée"
        bytes += Array(" avance vers le nord, selon des sources locales.</p></body></html>".utf8)
        let document = try extractor.extract(bytes, format: .html)
        #expect(document.blocks == ["Alep et Damas: l'armée avance vers le nord, selon des sources locales."])
    }

    @Test func byteOrderMarkIsNotText() throws {
        let document = try extractor.extract([0xEF, 0xBB, 0xBF] + Array("The army entered the town on Monday, residents said.".utf8), format: .text)
        #expect(document.blocks == ["The army entered the town on Monday, residents said."])
    }

    @Test func onlyChromeIsNoText() {
        #expect(throws: ExtractError.noText) { try extractor.extract(Array("Scroll Up\n\nLeave a Reply".utf8), format: .text) }
    }

    @Test func messagesSayWhatToDo() {
        #expect(ExtractError.invalidUTF8(offset: 3).description.contains("iconv"))
        #expect(ExtractError.binary(offset: 0).description.contains("binary"))
    }

    @Test func sourceFormatFollowsTheExtension() {
        #expect(SourceFormat(fileName: "a/B.HTML") == .html)
        #expect(SourceFormat(fileName: "page.xhtml") == .html)
        #expect(SourceFormat(fileName: "page.htm") == .html)
        #expect(SourceFormat(fileName: "notes.txt") == .text)
        #expect(SourceFormat(fileName: "README") == .text)
        #expect(SourceFormat(fileName: "feed.JSONL") == .jsonLines && SourceFormat(fileName: "x.NdJson") == .jsonLines)
        #expect(SourceFormat(fileName: "دير الزور.HTM") == .html, "the name's letters do not matter")
        #expect(SourceFormat(fileName: "dir.html/README") == .text, "an extension is the last dot's, in the file's name")
        #expect(SourceFormat(fileName: "page.") == .text && SourceFormat(fileName: "page.html.txt") == .text)
        #expect(SourceFormat(fileName: "page.\u{FF28}\u{FF34}\u{FF2D}\u{FF2C}") == .text, "full-width letters are not html")
        #expect(SourceFormat.fileExtension(of: "a/B.HtMl") == "html" && SourceFormat.fileExtension(of: "README") == "")
        #expect(SourceFormat.fileExtension(of: "x.Ä") == "ä", "beyond ASCII, Unicode lower case")
    }
}

/// Plain text without tags or entities is read without a parser: its blocks, lines, counts
/// and title must be what the parsers' events (``HTMLEventParser``'s and libxml2's) make of it.
@Suite("Extract: plain text read without the HTML parser")
struct PlainTextPathTests {
    static let samples: [String] = [
        "Shelling near Deir Ezzor.\n\nResidents said on Monday that the army had left.\n",
        "  leading spaces\n\n\n\n  and blank lines   \n\ttabs\tinside\n\n",
        "one line " + String(repeating: "word ", count: 5_000),
        "قصف تنظيم داعش أحياء في دير الزور يوم ١٢ آذار ٢٠١٥.\n\nDaesh shelled Dayr al-Zawr again.",
        "\n\n\n",
        "x",
        "controls \u{1}\u{7}\u{B}\u{C} between\u{7F} words\n\nand \u{85} a C1 one",
        "quotes \"like\" 'these' > and ; semicolons = fine\n\n—dashes… and ✓ symbols 😀",
        "line one\nline two\nline three\n\nnext block\n \nstill next?\n\n\n\nlast",
        "carriage\r\nreturns\r\n\r\nand a lone\rone\r\n",
    ]

    @Test(arguments: samples)
    func theSameOutputAsThroughLibxml2(_ text: String) throws {
        var bytes = Array(text.utf8)
        let direct = try bytes.withUnsafeMutableBufferPointer { buffer in
            try HTMLTextExtractor().extract(UnsafeBufferPointer(buffer), encoding: "UTF-8", format: .text, metadata: true)
        }
        for parser in [HTMLTextExtractor.Parser.standard, .libxml2] {
            let parsed = try bytes.withUnsafeMutableBufferPointer { buffer in
                try HTMLTextExtractor().extract(UnsafeBufferPointer(buffer), encoding: "UTF-8", format: .text, metadata: true,
                                                alwaysParse: true, parser: parser)
            }
            #expect(direct.blocks == parsed.blocks, "\(parser): \(text.debugDescription)")
            #expect(direct.title == parsed.title && direct.heading == parsed.heading)
            #expect(direct.structure.groups.count == parsed.structure.groups.count)
        }
    }

    @Test func markupGoesThroughTheParser() {
        for (text, markup) in [("a < b", true), ("AT&T", true), ("line\r\nline", false), ("plain words", false), ("a > b", false)] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { HTMLTextExtractor.hasMarkup($0) } == markup, "\(text)")
        }
    }
}
