// Usage: swift run SearchArchive INDEX QUERY   (build INDEX first: fahras index seeds --index INDEX)
import Fahras

let arguments = CommandLine.arguments
let index = try SearchIndex(at: arguments.count > 1 ? arguments[1] : "Index")
let options = SearchOptions(limit: 5, facets: [.actor])
let results = try index.search(arguments.count > 2 ? arguments[2] : "Deir Ezzor", options: options)
print("\(results.total) passages; spellings matched: \(results.spellings.map(\.text).joined(separator: ", "))")
for hit in results.hits {
    print("\(hit.date ?? "undated")  \(hit.title)\n    \(hit.snippet)")
}
print("actors named alongside:", results.facets.first?.values.prefix(5).map(\.value).joined(separator: ", ") ?? "none")
