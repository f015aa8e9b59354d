import AttestCore
import AttestReports
import AttestTestSupport
import Foundation
import Testing

/// The OSCAL assessment results: NIST's 1.1.3 schema and compliance-trestle accept them, and they say
/// what the contract asks (findings for required, unretired items; observations for every evidence
/// record; waivers and not-applicable marks as approved deviations; version-5 UUIDs).
@Suite struct OSCALReportTests {
    static let tools = SharedFolder.url.appendingPathComponent("tools/oscal")
    static let validator = tools.appendingPathComponent("validate.py")

    /// The document, written to a temporary folder.
    func written() throws -> (directory: TemporaryDirectory, file: URL, json: [String: Any]) {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("demo.oscal-ar.json")
        try OSCALReport(state: ReportFixture.state, generator: ReportTests.generator).render().write(to: file)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        return (directory, file, try #require(object?["assessment-results"] as? [String: Any]))
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static let hasJSONSchema = (try? run(["python3", "-c", "import jsonschema"]).status) == 0
    static let hasTrestle = (try? run(["python3", "-c", "from trestle.oscal.assessment_results import AssessmentResults"]).status) == 0

    @Test(.enabled(if: FileManager.default.fileExists(atPath: validator.path), "../shared/tools/oscal/validate.py is absent: NIST schema check skipped"),
          .enabled(if: hasJSONSchema, "python3's jsonschema is not installed (.ci/run installs it): NIST schema check skipped"))
    func nistSchemaAcceptsIt() throws {
        let output = try written()
        let result = try Self.run(["python3", Self.validator.path, output.file.path])
        #expect(result.status == 0, "validate.py:\n\(result.output)")
    }

    @Test(.enabled(if: hasTrestle, "compliance-trestle is not installed (pip install 'compliance-trestle>=3.8,<4'; .ci/run tries): trestle check skipped"))
    func complianceTrestleLoadsIt() throws {
        let output = try written()
        let script = """
            import pathlib, sys
            from trestle.oscal.assessment_results import AssessmentResults
            ar = AssessmentResults.oscal_read(pathlib.Path(sys.argv[1]))
            assert ar is not None, "oscal_read returned None"
            r = ar.results[0]
            print(len(r.findings), len(r.observations), len(r.risks), r.reviewed_controls.control_selections[0].include_all is not None)
            """
        let result = try Self.run(["python3", "-c", script, output.file.path])
        #expect(result.status == 0, "trestle:\n\(result.output)")
        #expect(result.output.hasSuffix("8 6 2 True\n"), "findings, observations, risks, include-all: \(result.output)")
    }

    @Test func findingsObservationsAndRisksSayWhatTheContractAsks() throws {
        let document = try written().json
        let result = try #require((document["results"] as? [[String: Any]])?.first)
        let findings = try #require(result["findings"] as? [[String: Any]])
        // Required, unretired items only: T-01…T-07 and T-12 are required, T-08 retired.
        let targets = findings.compactMap { ($0["target"] as? [String: Any]) }
        #expect(targets.compactMap { $0["target-id"] as? String } == ["T-01", "T-02", "T-03", "T-04", "T-05", "T-06", "T-07", "T-12"])
        #expect(targets.allSatisfy { $0["type"] as? String == "objective-id" })
        let states = Dictionary(uniqueKeysWithValues: targets.map { ($0["target-id"] as! String, ($0["status"] as! [String: Any])["state"] as! String) })
        #expect(states["T-01"] == "satisfied" && states["T-06"] == "satisfied" && states["T-07"] == "satisfied")
        #expect(states["T-02"] == "not-satisfied" && states["T-05"] == "not-satisfied")
        let t02 = try #require(findings.first { ($0["target"] as? [String: Any])?["target-id"] as? String == "T-02" })
        #expect((t02["description"] as? String)?.contains("not yet effective until 2026-07-01") == true)

        let observations = try #require(result["observations"] as? [[String: Any]])
        let standings = observations.map { ($0["props"] as! [[String: Any]]).first { $0["name"] as? String == "standing" }?["value"] as? String }
        #expect(standings.contains("revoked") && standings.contains("not-yet-effective") && standings.contains("superseded"))
        let withAttachment = try #require(observations.first { ($0["relevant-evidence"] as? [[String: Any]])?.contains {
            ($0["description"] as? String)?.contains(String(repeating: "a", count: 64)) == true } == true })
        #expect((withAttachment["relevant-evidence"] as? [[String: Any]])?.contains { $0["href"] as? String == "https://tickets.example.com/SEC-42?a=1&b=<2>" } == true)

        let risks = try #require(result["risks"] as? [[String: Any]])
        #expect(risks.count == 2 && risks.allSatisfy { $0["status"] as? String == "deviation-approved" })
        let waiver = try #require(risks.first { $0["deadline"] != nil })
        #expect(waiver["deadline"] as? String == "2026-07-01T00:00:00.000Z")
        #expect((waiver["props"] as? [[String: Any]])?.contains { $0["name"] as? String == "approved-by" && $0["value"] as? String == "ciso@example.com" } == true)

        let reviewed = result["reviewed-controls"] as? [String: Any]
        #expect(((reviewed?["control-selections"] as? [[String: Any]])?.first?["include-all"]) != nil)
        let importAP = try #require((document["import-ap"] as? [String: Any])?["href"] as? String)
        let resources = try #require((document["back-matter"] as? [String: Any])?["resources"] as? [[String: Any]])
        #expect(resources.contains { "#" + ($0["uuid"] as! String) == importAP })
        #expect(result["start"] as? String == "2026-06-15T23:59:59.999Z")
        #expect((document["metadata"] as? [String: Any])?["last-modified"] as? String == "2026-06-15T23:59:59.999Z")
    }

    @Test func uuidsAreVersionFiveFromTheContractsNamespace() throws {
        let document = try written().json
        let uuid = try #require(document["uuid"] as? String)
        #expect(uuid == UUIDv5.make(["assessment-results", "demo", "2026-06-15T23:59:59.999Z", ReportFixture.state.digest]))
        #expect(uuid.split(separator: "-")[2].hasPrefix("5"))
    }
}
