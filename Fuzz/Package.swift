// swift-tools-version: 6.0
import PackageDescription

// libFuzzer executables for attest's readers of untrusted bytes. Kept apart from the product's package so
// that the fuzzer flags never reach its build. Build and run: see README.md.
//
// A target is one entry in `targets` below plus a file in Sources/<Name>/ (copy FuzzDates.swift and change
// the two names); the entry function itself lives in the main package (`AttestFuzzing.FuzzTarget`).
let targets = ["FuzzRecords", "FuzzPipeTables", "FuzzHtmlTables", "FuzzCsv", "FuzzOscal", "FuzzDates", "FuzzAllowedSigners", "FuzzSshsig", "FuzzRecordCache"]

let package = Package(
    name: "attest-fuzz",
    dependencies: [.package(name: "attest", path: "..")],
    targets: [
        // `LLVMFuzzerRunDriver`, declared for Swift.
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzDriver", dependencies: ["CFuzzerDriver", .product(name: "AttestFuzzing", package: "attest")]),
    ] + targets.map { .executableTarget(name: $0, dependencies: ["FuzzDriver"]) }
)
