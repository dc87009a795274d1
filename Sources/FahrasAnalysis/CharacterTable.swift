/// The special characters of `Data/marks.tsv`: which ones join, vanish or fold.
///
/// Loaded once from the data file compiled into the module, so that a reader can see and
/// extend the table without reading Swift.
package struct CharacterTable: Sendable {
    /// What a special character does (see the comment at the top of `marks.tsv`).
    package enum Role: String, Sendable {
        case apostrophe
        case hyphen
        case ignorable
        case digitGroup = "digit-group"
        case decimalPoint = "decimal-point"
        case fold
    }

    private var roles: [UInt32: Role] = [:]
    /// One bit per block of 256 code points: set when the block holds a scalar of `roles`,
    /// so that most non-ASCII scalars are answered without hashing.
    private var blocksWithRoles = [UInt64](repeating: 0, count: 0x110000 >> 14)
    /// Roles of the 128 ASCII code points, looked up without hashing (the hot path).
    private var asciiRoles = [Role?](repeating: nil, count: 128)
    private var folds: [UInt32: String] = [:]

    /// The table bundled with Fahras.
    package static let standard: CharacterTable = {
        do {
            return try CharacterTable(tsv: String(decoding: PackageResources.marks_tsv, as: UTF8.self))
        } catch {
            fatalError("the bundled Data/marks.tsv is invalid: \(error)")  // a build defect, not user input
        }
    }()

    /// Parses a table in the `marks.tsv` format.
    package init(tsv: String) throws(AnalysisError) {
        for (number, line) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2, fields[0].hasPrefix("U+"),
                  let value = UInt32(fields[0].dropFirst(2), radix: 16) else {
                throw .badTable(line: number + 1, reason: "expected 'U+XXXX<TAB>role…', found '\(line)'")
            }
            guard let role = Role(rawValue: String(fields[1])) else {
                throw .badTable(line: number + 1, reason: "unknown role '\(fields[1])'")
            }
            roles[value] = role
            if value < 128 { asciiRoles[Int(value)] = role }
            if value < 0x110000 { blocksWithRoles[Int(value >> 14)] |= 1 << UInt64((value >> 8) & 63) }
            if role == .fold {
                guard fields.count >= 5, !fields[4].isEmpty else {
                    throw .badTable(line: number + 1, reason: "a fold entry needs its target in column 5")
                }
                folds[value] = String(fields[4])
            }
        }
    }

    /// The role of `scalar`, or `nil` for an ordinary character.
    @inline(__always)
    package func role(of scalar: UInt32) -> Role? {
        if scalar < 128 { return asciiRoles[Int(scalar)] }
        guard scalar < 0x110000, blocksWithRoles[Int(scalar >> 14)] & (1 << UInt64((scalar >> 8) & 63)) != 0 else { return nil }
        return roles[scalar]
    }

    /// The letters `scalar` folds to, for `fold` entries.
    package func foldTarget(of scalar: UInt32) -> String? {
        folds[scalar]
    }
}
