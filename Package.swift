// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Fahras",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fahras", targets: ["FahrasCLI"]),
        // The engine for other Swift programs: one façade (Sources/Fahras); the stage modules
        // below are `package`, not part of its API.
        .library(name: "Fahras", targets: ["Fahras"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // Already built for Hummingbird; named so the server can run on NIO's event loops.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        // `swift package generate-documentation --target Fahras`: a plugin, built only when asked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.0.0"),
    ],
    targets: [
        // MARK: System libraries
        // libxml2's HTML parser; only FahrasExtract imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),

        // zlib: compresses the passage store and computes CRC-32s; only FahrasIndex imports it.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),

        // MARK: Pipeline stages (extract → segment → analyze → index → search)
        .target(
            name: "FahrasExtract",
            dependencies: ["CLibXML2"],
            resources: [.embedInCode("Data/boilerplate-phrases.txt"), .embedInCode("Data/chrome-sections.txt")]
        ),
        // Article metadata (dates, URL, site…) read from what the extract stage collects. Apart
        // from FahrasExtract because it needs Foundation (JSON-LD, string search), which the
        // extract stage does without. CLibXML2's shim keeps the system ICU headers libxml2
        // would include out of its module, so importing both is safe.
        .target(name: "FahrasMetadata", dependencies: ["FahrasExtract"], resources: [.embedInCode("Data/months.tsv")]),
        .target(name: "FahrasSegment"),
        .target(
            name: "FahrasAnalysis",
            resources: [
                .embedInCode("Data/marks.tsv"),
                .embedInCode("Data/transliteration.tsv"),
                .embedInCode("Data/arabic.tsv"),
                .embedInCode("Data/common-words.txt"),
                .embedInCode("Data/common-words-ar.txt"),
                .embedInCode("Data/entities.tsv"),
            ]
        ),
        // Postings blocks unpacked with vector instructions where the processor has them.
        .target(name: "CPackedInts"),
        .target(name: "FahrasIndex", dependencies: ["CZlib", "CPackedInts"]),
        .target(
            name: "FahrasIndexer",
            dependencies: ["FahrasExtract", "FahrasMetadata", "FahrasSegment", "FahrasAnalysis", "FahrasIndex"]
        ),
        .target(name: "FahrasSearch", dependencies: ["FahrasAnalysis", "FahrasIndex"]),
        // JSON built in code (no Foundation): the CLI's and server's documents, the export's files.
        .target(name: "FahrasJSONCore"),
        // An index's passages and queries for OpenSearch (`fahras export --opensearch`).
        .target(name: "FahrasExport", dependencies: ["FahrasSearch", "FahrasIndex", "FahrasAnalysis", "FahrasJSONCore"]),

        // MARK: The library's façade: open, search, read and update an index
        .target(
            name: "Fahras",
            dependencies: ["FahrasIndexer", "FahrasSearch", "FahrasIndex", "FahrasAnalysis", "FahrasExtract", "FahrasMetadata",
                           "FahrasExport"]
        ),

        // The JSON documents the CLI prints and the HTTP API serves, over the façade's types.
        .target(name: "FahrasJSON", dependencies: ["Fahras", "FahrasJSONCore"]),

        // `fahras serve`: the HTTP API and the web page, on Hummingbird 2.
        .target(
            name: "FahrasServer",
            dependencies: ["Fahras", "FahrasJSON", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            resources: [.embedInCode("Data/openapi.json"), .embedInCode("Data/style.css")]
        ),

        // MARK: Command-line interface (a thin layer over the façade)
        .executableTarget(
            name: "FahrasCLI",
            dependencies: [
                "Fahras", "FahrasJSON", "FahrasServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc (Debian's libjemalloc-dev) is the command's allocator: linked into the
            // executable, it takes the place of glibc's malloc for the whole process (Swift,
            // libxml2, zlib). An indexing run allocates and frees millions of small strings
            // and arrays on several threads, which glibc's allocator serves with more
            // instructions and page faults. Nothing calls it by name.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),

        // The fuzz targets' harness (scripts/fuzz); FahrasFuzzTests replays their corpus.
        .target(name: "FahrasFuzz", dependencies: ["Fahras", "FahrasIndexer", "FahrasIndex", "FahrasExtract"]),

        // MARK: Tests, one target per stage plus end-to-end through the CLI
        .testTarget(name: "FahrasExtractTests", dependencies: ["FahrasExtract"]),
        .testTarget(name: "FahrasMetadataTests", dependencies: ["FahrasMetadata", "FahrasExtract"]),
        .testTarget(name: "FahrasSegmentTests", dependencies: ["FahrasSegment"]),
        .testTarget(name: "FahrasAnalysisTests", dependencies: ["FahrasAnalysis"]),
        .testTarget(name: "FahrasIndexTests", dependencies: ["FahrasIndex", "CPackedInts"]),
        .testTarget(
            name: "FahrasSearchTests",
            dependencies: ["FahrasSearch", "FahrasIndex", "FahrasAnalysis"]
        ),
        .testTarget(
            name: "FahrasIndexerTests",
            dependencies: ["FahrasIndexer", "FahrasSearch", "FahrasIndex", "FahrasAnalysis"]
        ),
        .testTarget(
            name: "FahrasExportTests",
            dependencies: ["FahrasExport", "FahrasSearch", "FahrasIndexer", "FahrasIndex", "FahrasAnalysis", "FahrasJSONCore"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "FahrasCLITests", dependencies: ["FahrasCLI", "FahrasIndex"]),
        .testTarget(name: "FahrasLibraryTests", dependencies: ["Fahras", "FahrasJSON", "FahrasAnalysis"]),
        .testTarget(
            name: "FahrasServerTests",
            dependencies: ["FahrasServer", "Fahras", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(name: "FahrasFuzzTests", dependencies: ["FahrasFuzz"], exclude: ["Corpus"]),
    ]
)

// libFuzzer's executable, declared only for scripts/fuzz (FAHRAS_FUZZ=1), which builds it with
// -sanitize=fuzzer: it calls libFuzzer's driver, so an ordinary build could not link it.
if Context.environment["FAHRAS_FUZZ"] == "1" {
    package.products.append(.executable(name: "fahras-fuzz", targets: ["FahrasFuzzEntry"]))
    package.targets.append(.target(name: "CFuzzDriver"))
    package.targets.append(.executableTarget(name: "FahrasFuzzEntry", dependencies: ["FahrasFuzz", "CFuzzDriver"]))
}
