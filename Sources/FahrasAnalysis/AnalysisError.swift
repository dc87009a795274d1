/// Errors of the analysis stage: a data table that cannot be read.
public enum AnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A line of a character or folding table is malformed.
    case badTable(line: Int, reason: String)

    public var description: String {
        switch self {
        case .badTable(let line, let reason):
            return "character table line \(line): \(reason); fix the line or remove it"
        }
    }
}
