// swift-tools-version:6.0
// A program of another package that uses Fahras as a library: it opens an index and searches it.
import PackageDescription

let package = Package(
    name: "SearchArchive",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Fahras", path: "../..")],
    targets: [.executableTarget(name: "SearchArchive", dependencies: [.product(name: "Fahras", package: "Fahras")])]
)
