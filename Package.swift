// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "attest",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "attest", targets: ["attest"]),
        .library(name: "AttestCore", targets: ["AttestCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        // System library: AttestReports (writer) and AttestImport (HTML parser) import it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),

        // Core: model, store, evaluation. No libxml2, no ArgumentParser.
        .target(
            name: "AttestCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),  // RSA signatures (Signing/)
            ]
        ),
        .target(name: "AttestImport", dependencies: ["AttestCore", "CLibXML2"]),
        .target(name: "AttestReports", dependencies: ["AttestCore", "CLibXML2"]),

        // Command line.
        .target(
            name: "AttestCLI",
            dependencies: [
                "AttestCore", "AttestImport", "AttestReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "attest", dependencies: ["AttestCLI"]),

        // Tests, with a small shared support library (fixtures built in memory, temporary folders).
        .target(name: "AttestTestSupport", dependencies: ["AttestCore"], path: "Tests/AttestTestSupport"),
        .testTarget(name: "AttestCoreTests", dependencies: ["AttestCore", "AttestTestSupport"]),
        .testTarget(name: "AttestImportTests", dependencies: ["AttestImport", "AttestCore"], exclude: ["Fixtures", "Expected"]),
        .testTarget(
            name: "AttestReportsTests", dependencies: ["AttestReports", "AttestCore", "AttestTestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "AttestCLITests", dependencies: ["attest", "AttestCore", "AttestTestSupport"]),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
}
