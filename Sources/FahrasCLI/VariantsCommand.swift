import ArgumentParser
import Fahras
import FahrasJSON

/// `fahras variants NAME [--index DIR] [--format text|json]`
struct VariantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variants",
        abstract: "List every spelling in the index that folds with a name, with counts.",
        discussion: """
            NAME is a name word or several (Deir ez-Zor, "Abu Kamal", دير الزور). Each line \
            gives a spelling as written in the indexed text, its occurrences and the \
            passages that hold it. The exact spelling is listed too, when present.
            """)

    // A name of several words needs no quotes: `fahras variants Deir ez-Zor`.
    @Argument(parsing: .allUnrecognized, help: "The name to fold, in one argument or several.")
    var words: [String] = []

    var name: String { words.joined(separator: " ") }

    func validate() throws {
        if let option = words.first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("unknown option '\(option)' (a name cannot begin with --)")
        }
        if words.isEmpty { throw ValidationError("missing NAME; for example: fahras variants Deir ez-Zor") }
    }

    @OptionGroup var location: IndexLocation

    @Option(help: "Output format: text or json.")
    var format: SearchCommand.Format = .text

    func run() throws {
        let index = try location.open()
        let forms: [Spelling]
        do {
            forms = try index.variants(of: name)
        } catch {
            throw UserFacingError(error)
        }
        switch format {
        case .json:
            Output.standardOutput(JSONShapes.variants(forms, of: name) + "\n")
        case .text:
            if forms.isEmpty {
                Output.standardOutput("No spelling of '\(name)' in the index.\n")
                return
            }
            Output.standardOutput(FormFormatter.table(forms))
        }
    }
}

/// Spellings as text rows, for `variants` and `entities`.
enum FormFormatter {
    /// Right-aligned counts, then the spelling: `   12  9  Deir Ezzur`.
    static func table(_ forms: [Spelling], indent: String = "") -> String {
        let width = max(11, String(forms.map(\.occurrences).max() ?? 0).count)
        func pad(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var out = indent + pad("occurrences") + "  " + pad("passages") + "  spelling\n"
        for form in forms {
            out += indent + pad(String(form.occurrences)) + "  " + pad(String(form.passages)) + "  " + form.text + "\n"
        }
        return out
    }
}
