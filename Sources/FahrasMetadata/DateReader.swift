internal import Foundation

/// Reads calendar days from what pages write: ISO 8601 and its cousins in metadata (the day
/// as the outlet wrote it, in its own zone: the day its readers saw), dates in URL paths, and
/// dates written out in the text in the languages of `Data/months.tsv` (Arabic among them,
/// with the Levantine month names Syrian outlets use and the Egyptian and Gulf ones), with
/// Western or Arabic-Indic digits. Every answer is a real day between ``earliestYear`` and ``latestYear``,
/// written `YYYY-MM-DD`.
package struct DateReader: Sendable {
    static let earliestYear = 1990
    static let latestYear = 2040

    /// Month names, folded (``fold(_:)``), with their numbers.
    private let months: [(name: String, month: Int)]
    /// The first word of each name of ``months``. A name is matched only between characters
    /// that are no letters, so a window holds one only if one of its runs of letters is here.
    private let monthFirstWords: Set<Substring>
    private let writtenDate: NSRegularExpression
    private let monthFirst: NSRegularExpression
    private let yearFirst: NSRegularExpression
    private let dayOrMonthFirst: NSRegularExpression

    /// The reader with the month names of `Data/months.tsv`.
    package static let standard = DateReader(table: String(decoding: PackageResources.months_tsv, as: UTF8.self))

    package init(table: String) {
        var months: [(String, Int)] = []
        var seen = Set<String>()
        for line in table.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, let month = Int(fields[0]), (1...12).contains(month) else { continue }
            let name = DateReader.fold(String(fields[1]))
            if seen.insert(name).inserted { months.append((name, month)) }
        }
        // Longest first, for the alternation; each name's length counted once (a count walks
        // the name's characters, and the sort asked for it thousands of times).
        self.months = months.map { ($0, $0.0.count) }.sorted { $0.1 > $1.1 }.map(\.0)
        monthFirstWords = Set(self.months.compactMap { $0.name.split(separator: " ").first })
        let names = self.months.map { NSRegularExpression.escapedPattern(for: $0.name) }.joined(separator: "|")
        // A letter before or after a month name makes it part of another word (`mayor`).
        // `4 March 2017`, `4. März 2017`, `2 de abril de 2020`, `12 آذار 2015`.
        let day = #"(?<![\p{L}\d])(\d{1,2})(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?"#
        writtenDate = try! NSRegularExpression(pattern: day + "(" + names + #")(?!\p{L})\.?,?\s+(?:de\s+)?(\d{4})(?!\d)"#)
        monthFirst = try! NSRegularExpression(pattern: #"(?<![\p{L}\d])("# + names + #")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)"#)
        // `2017-03-04`, `2020/07/13`, `2020年7月11日`.
        yearFirst = try! NSRegularExpression(pattern: #"(?<!\d)((?:19|20)\d{2})(?:-|/|\.|年)(\d{1,2})(?:-|/|\.|月)(\d{1,2})(?!\d)"#)
        // `17/03/2020`, `17.03.2020`: day and month told apart only when one is above 12.
        dayOrMonthFirst = try! NSRegularExpression(pattern: #"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?!\d)"#)
    }

    /// The maximal runs of letters (`\p{L}`, as the patterns read them) of `text`.
    static func letterRuns(of text: String) -> [Substring] {
        var runs: [Substring] = []
        var start: String.Index?
        for index in text.unicodeScalars.indices {
            let scalar = text.unicodeScalars[index]
            let isLetter = scalar.isASCII ? (scalar.value | 0x20) &- 0x61 < 26 : DateReader.isLetter(scalar)
            if isLetter {
                if start == nil { start = index }
            } else if let first = start {
                runs.append(text[first..<index])
                start = nil
            }
        }
        if let first = start { runs.append(text[first...]) }
        return runs
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Lower case, no diacritics (Latin accents, Arabic harakat and the hamza of alef), and
    /// Arabic-Indic digits as ASCII.
    static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).unicodeScalars {
            switch scalar.value {
            case 0x0660...0x0669: out.append(Unicode.Scalar(scalar.value - 0x0660 + 0x30)!)
            case 0x06F0...0x06F9: out.append(Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!)
            case 0x0623, 0x0625, 0x0622: out.append("\u{0627}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The day of an ISO 8601-like value (`2017-03-04T10:00:00Z`, `2017/03/04`, `20170304`),
    /// or of a date written out (`March 4, 2017`).
    package func iso(_ value: String) -> String? {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let digits = Array(text.utf8.prefix(10))
        if digits.count >= 8, let year = DateReader.number(digits[0..<4]) {
            if digits.count == 10, digits[4] == digits[7], digits[4] == UInt8(ascii: "-") || digits[4] == UInt8(ascii: "/"),
               let month = DateReader.number(digits[5..<7]), let day = DateReader.number(digits[8..<10]) {
                return DateReader.day(year, month, day)
            }
            if text.utf8.count == 8 || (text.utf8.count > 8 && !(48...57).contains(Array(text.utf8)[8])),
               let month = DateReader.number(digits[4..<6]), let day = DateReader.number(digits[6..<8]) {
                return DateReader.day(year, month, day)
            }
        }
        return inText(text)
    }

    /// Whether `value` is an instant written in UTC (`…T02:54:29Z`, `…+00:00`): its day may be
    /// the day before or after the outlet's own.
    package func isUTCInstant(_ value: String) -> Bool {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.contains("T") || text.contains(" ") else { return false }
        return text.hasSuffix("Z") || text.hasSuffix("+00:00") || text.hasSuffix("+0000") || text.hasSuffix("GMT")
    }

    /// The day of a UTC instant written in ISO 8601 (`2020-05-02T02:54:29Z`) in the zone
    /// `offset` minutes from UTC, or `nil` when it does not give its time of day.
    func day(ofUTCInstant value: String, offset: Int) -> String? {
        let bytes = Array(value.trimmingCharacters(in: .whitespacesAndNewlines).utf8.prefix(16))
        guard bytes.count == 16, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
              let day = iso(String(decoding: bytes[0..<10], as: UTF8.self)), let number = DateReader.dayNumber(day),
              let hours = DateReader.number(bytes[11..<13]), let minutes = DateReader.number(bytes[14..<16]) else { return nil }
        let local = hours * 60 + minutes + offset
        let shift = local < 0 ? -1 : local >= 24 * 60 ? 1 : 0
        return shift == 0 ? day : DateReader.day(ofNumber: number + shift)
    }

    /// The `YYYY-MM-DD` of a day number (``dayNumber(_:)``).
    static func day(ofNumber number: Int) -> String? {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        return day(yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * mp + 2) / 5 + 1)
    }

    /// Whether two days (`YYYY-MM-DD`) are one day apart.
    static func adjacent(_ a: String, _ b: String) -> Bool {
        guard let x = dayNumber(a), let y = dayNumber(b) else { return false }
        return abs(x - y) == 1
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` day (the proleptic Gregorian calendar).
    static func dayNumber(_ day: String) -> Int? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let y = parts[1] <= 2 ? parts[0] - 1 : parts[0]
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (parts[1] + (parts[1] > 2 ? -3 : 9)) + 2) / 5 + parts[2] - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Dates in URL paths: `/2017/03/04/`, `/2017-03-04`, `/20170304/`, `-20170304`.
    private static let urlPatterns = [
        #"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$|[^\d])"#, #"[/_-]((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)"#,
        #"/((?:19|20)\d{2})(\d{2})(\d{2})(?:/|[^\d])"#, #"[-_]((?:19|20)\d{2})(\d{2})(\d{2})(?:/|\.|$)"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    /// A day in a URL's path: `/2017/03/04/`, `/2017-03-04`, `/20170304`.
    package func inURL(_ url: String) -> String? {
        let path = URLComponents(string: url)?.path ?? url
        for regex in DateReader.urlPatterns {
            guard let match = regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) else { continue }
            let parts = (1...3).compactMap { Int(path[Range(match.range(at: $0), in: path)!]) }
            if parts.count == 3, let day = DateReader.day(parts[0], parts[1], parts[2]) { return day }
        }
        return nil
    }

    /// The first day written out in `text`: `4 March 2017`, `March 4, 2017`, `4. März 2017`,
    /// `12 آذار 2015`, `١٢ آذار ٢٠١٥`, or ISO `2017-03-04`.
    ///
    /// Every form holds a year of four digits, so the patterns run only on a short window
    /// around each one, in text order: a page without years costs one scan of its bytes.
    package func inText(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            // Digits are ASCII or Arabic-Indic (two bytes each: D9 A0…A9, DB B0…B9).
            func digit(at i: Int) -> (value: Int, length: Int)? {
                let b = bytes[i]
                if b >= 0x30 && b <= 0x39 { return (Int(b - 0x30), 1) }
                guard i + 1 < bytes.count else { return nil }
                if b == 0xD9 && (0xA0...0xA9).contains(bytes[i + 1]) { return (Int(bytes[i + 1] - 0xA0), 2) }
                if b == 0xDB && (0xB0...0xB9).contains(bytes[i + 1]) { return (Int(bytes[i + 1] - 0xB0), 2) }
                return nil
            }
            var run: [(value: Int, start: Int)] = []
            var years = 0
            var i = 0
            while i < bytes.count {
                guard let (value, length) = digit(at: i) else {
                    i += 1
                    if !run.isEmpty { run.removeAll(keepingCapacity: true) }
                    continue
                }
                run.append((value, i))
                i += length
                // A year: four digits, the first two 19 or 20, no digit after.
                guard run.count == 4, i == bytes.count || digit(at: i) == nil,
                      (run[0].value == 1 && run[1].value == 9) || (run[0].value == 2 && run[1].value == 0) else { continue }
                // Every form has a day number besides the year: a window without another digit
                // ("Copyright 2019 The Linux Foundation") is passed over without the patterns.
                let around = window(bytes, year: run[0].start..<i)
                var digits = 0
                var k = around.lowerBound
                while k < around.upperBound {
                    if let (_, length) = digit(at: k) { digits += 1; k += length } else { k += 1 }
                }
                if digits > 4, let day = inWindow(String(decoding: UnsafeBufferPointer(rebasing: bytes[around]), as: UTF8.self)) {
                    return day
                }
                years += 1
                if years == DateReader.yearsTried { return nil }
            }
            return nil
        }
    }

    /// Where the text around a year at `year` (byte offsets) lies: up to ``windowBefore``
    /// scalars before it (counted as two bytes each, the most an Arabic letter takes) and
    /// ``windowAfter`` after, cut at scalar boundaries.
    private func window(_ bytes: UnsafeBufferPointer<UInt8>, year: Range<Int>) -> Range<Int> {
        var start = max(0, year.lowerBound - 2 * DateReader.windowBefore)
        while start < year.lowerBound && bytes[start] & 0xC0 == 0x80 { start += 1 }
        var end = min(bytes.count, year.upperBound + 2 * DateReader.windowAfter)
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return start..<end
    }

    /// Years whose windows are searched before giving up: a date line is near the top, and a
    /// page of numbers (a table of years, a changelog) must not cost a search per number.
    static let yearsTried = 12

    /// Scalars searched before a year's first digit and after its last: room for
    /// `2 de septiembre de` or `١٢ تشرين الأول`, and for the month and day of `2017-03-04`.
    static let windowBefore = 40
    static let windowAfter = 12

    /// The first day written out in a window of text.
    private func inWindow(_ text: String) -> String? {
        let folded = DateReader.fold(text)
        let range = NSRange(folded.startIndex..., in: folded)
        var found: (at: Int, day: String)?
        func offer(_ match: NSTextCheckingResult, _ iso: String?) {
            if let iso, found == nil || match.range.location < found!.at { found = (match.range.location, iso) }
        }
        func numbers(_ match: NSTextCheckingResult) -> [Int] {
            (1...3).compactMap { Int(folded[Range(match.range(at: $0), in: folded)!]) }
        }
        func written(_ match: NSTextCheckingResult, day: Int, month: Int, year: Int) {
            let name = String(folded[Range(match.range(at: month), in: folded)!])
            guard let number = months.first(where: { $0.name == name })?.month,
                  let d = Int(folded[Range(match.range(at: day), in: folded)!]),
                  let y = Int(folded[Range(match.range(at: year), in: folded)!]) else { return }
            offer(match, DateReader.day(y, number, d))
        }
        // Each pattern needs a month name or a separator: a window without it is not searched
        // (a search costs far more than these checks).
        if DateReader.letterRuns(of: folded).contains(where: monthFirstWords.contains) {
            if let match = writtenDate.firstMatch(in: folded, range: range) { written(match, day: 1, month: 2, year: 3) }
            if let match = monthFirst.firstMatch(in: folded, range: range) { written(match, day: 2, month: 1, year: 3) }
        }
        let slashOrDot = folded.utf8.contains(UInt8(ascii: "/")) || folded.utf8.contains(UInt8(ascii: "."))
        if slashOrDot || folded.utf8.contains(UInt8(ascii: "-")) || folded.unicodeScalars.contains("年"), let match = yearFirst.firstMatch(in: folded, range: range) {
            let n = numbers(match)
            if n.count == 3 { offer(match, DateReader.day(n[0], n[1], n[2])) }
        }
        for match in slashOrDot ? dayOrMonthFirst.matches(in: folded, range: range) : [] {
            let n = numbers(match)
            guard n.count == 3, n[0] > 12 || n[1] > 12 else { continue }
            offer(match, n[0] > 12 ? DateReader.day(n[2], n[1], n[0]) : DateReader.day(n[2], n[0], n[1]))
            break
        }
        return found?.day
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self))
    }

    /// `YYYY-MM-DD` for a real day in the years read, else `nil`.
    static func day(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard (earliestYear...latestYear).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[month - 1] else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}
