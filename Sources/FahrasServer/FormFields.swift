import Foundation

/// The fields of a URL query string (`a=1&b=x+y`), decoded as HTML forms encode them: `+` is
/// a space, `%2B` a plus sign. A name given twice keeps both values, in order.
struct FormFields: Sendable {
    private var pairs: [(name: String, value: String)] = []

    init(query: String?) {
        guard let query, !query.isEmpty else { return }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormFields.decode(pieces[0])
            pairs.append((name, pieces.count > 1 ? FormFields.decode(pieces[1]) : ""))
        }
    }

    /// `+` as a space, then `%XX` escapes; a malformed escape is kept as written.
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
}
