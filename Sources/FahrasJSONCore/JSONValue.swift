/// A JSON document built in code, with object members kept in the order they are given
/// (mappings and queries read as their documentation writes them).
package indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One member of an object.
    package struct Member: Equatable, Sendable {
        package var key: String
        package var value: JSONValue
        package init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object of `members`, in order.
    package static func object(_ members: (String, JSONValue)...) -> JSONValue {
        .object(members.map { Member($0.0, $0.1) })
    }

    /// An object of `members`, in order.
    package static func members(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.map { Member($0.0, $0.1) })
    }

    /// On one line, without spaces (a `_bulk` line).
    package var compact: String {
        var out = ""
        write(to: &out, indent: nil)
        return out
    }

    /// Indented by two spaces a level, for a file a person reads.
    package var pretty: String {
        var out = ""
        write(to: &out, indent: "")
        return out
    }

    private func write(to out: inout String, indent: String?) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += JSONWriter.number(value)
        case .string(let value): out += JSONWriter.quoted(value)
        case .array(let values):
            writeList(values, to: &out, indent: indent, open: "[", close: "]") { value, out, inner in
                value.write(to: &out, indent: inner)
            }
        case .object(let members):
            writeList(members, to: &out, indent: indent, open: "{", close: "}") { member, out, inner in
                out += JSONWriter.quoted(member.key) + (inner == nil ? ":" : ": ")
                member.value.write(to: &out, indent: inner)
            }
        }
    }

    private func writeList<T>(_ items: [T], to out: inout String, indent: String?, open: String, close: String,
                              item: (T, inout String, String?) -> Void) {
        guard !items.isEmpty else {
            out += open + close
            return
        }
        out += open
        let inner = indent.map { $0 + "  " }
        for (i, element) in items.enumerated() {
            if i > 0 { out += "," }
            if let inner { out += "\n" + inner }
            item(element, &out, inner)
        }
        if let indent { out += "\n" + indent }
        out += close
    }
}
