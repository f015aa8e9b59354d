import AttestCore
@testable import AttestImport
import Foundation
import Testing

/// OSCAL System Security Plans: what a leveraged system exports to its customers.
@Suite struct OSCALReaderTests {
    func read(_ json: String, party: String? = nil, fileName: String = "ssp.json") throws -> ParsedMatrix {
        try MatrixReader(party: party).read(data: Data(json.utf8), fileName: fileName, path: fileName)
    }

    func readFixture(party: String? = nil) throws -> ParsedMatrix {
        try MatrixReader(party: party).read(contentsOf: Paths.fixture("ssp-small.json"), path: "Fixtures/ssp-small.json")
    }

    @Test func exportsBecomeItems() throws {
        let matrix = try readFixture()
        #expect(matrix.customerParty == "customer" && matrix.parties == ["customer", "provider-ops"])
        #expect(matrix.provider == "Example Cloud IaaS" && matrix.title == "Example Cloud IaaS SSP")
        #expect(matrix.rows.map(\.task) == [
            "MFA for privileged accounts through SAML 2.0 federation.",
            "Configure the IdP to require MFA with SAML 2.0 assertions.",
            "Review storage accounts every quarter!",
            "Rotate the storage master keys?",
        ])
        #expect(matrix.rows.map(\.kind) == [.inherited, .obligation, .obligation, .informed])
        #expect(matrix.rows.map(\.section) == ["IA-2(1) / Identity Service", "IA-2(1) / Identity Service", "AC-2 a. / Storage", "AC-2 a. / Storage"])
        #expect(matrix.rows.map(\.key) == ["oscal:5b1f0c9e-0000-4000-8004-000000000001", "oscal:5b1f0c9e-0000-4000-8005-000000000001",
                                           "oscal:5b1f0c9e-0000-4000-8005-000000000002", "oscal:5b1f0c9e-0000-4000-8005-000000000003"])
        #expect(matrix.rows[1].inherits == "5b1f0c9e-0000-4000-8004-000000000001")
        #expect(matrix.rows[1].notes == ["Configure the IdP to require MFA with SAML 2.0 assertions. Keep the signing certificate current."])
        #expect(matrix.rows[1].responsibility == ["customer": "R"])
        #expect(matrix.rows[2].responsibility == ["customer": "R"], "a responsibility naming no role is the customer's")
        #expect(matrix.rows[3].responsibility == ["provider-ops": "R", "customer": "I"])
        #expect(matrix.rows[0].responsibility == ["provider-ops": "R"] && matrix.rows[0].customerLetters.isEmpty)
        #expect(matrix.rows[1].line == 43, "the line of the entry's {")
        #expect(MatrixLinter.lint(matrix).isEmpty)
    }

    @Test func partyNamesAnotherRole() throws {
        let matrix = try readFixture(party: "provider-ops")
        #expect(matrix.rows.map(\.kind) == [.inherited, .informed, .obligation, .obligation])
    }

    @Test func rowsKeepTheirKeyWhenTheWordingChanges() throws {
        // The builder matches re-imported rows by `key`: for OSCAL the entry's UUID, not its words.
        let text = try String(contentsOf: Paths.fixture("ssp-small.json"), encoding: .utf8)
            .replacingOccurrences(of: "Review storage accounts every quarter!", with: "Review every storage account monthly.")
        let changed = try read(text)
        #expect(changed.rows.map(\.key) == (try readFixture()).rows.map(\.key))
        #expect(changed.rows[2].task == "Review every storage account monthly.")
    }

    // MARK: Refused

    @Test func unknownRoleListsTheSSPsRoles() throws {
        let error = try #require(throws: ImportError.self) { try readFixture(party: "tenant") }
        #expect(error == .unknownRole(path: "Fixtures/ssp-small.json", role: "tenant", roles: ["customer", "provider-ops", "auditor"]))
        #expect(error.errorDescription?.contains("its roles are: \"customer\", \"provider-ops\", \"auditor\"; pass the customer's with --party ROLE") == true)
    }

    @Test func invalidJSONNamesLineAndColumn() throws {
        let error = try #require(throws: ImportError.self) { try read("{\n  \"system-security-plan\": {\n    \"uuid\": \"x\",,\n  }\n}") }
        #expect(error == .invalidJSON(path: "ssp.json", line: 3, column: 17, detail: "expected a \"key\" in quotes"))
        #expect(error.errorDescription?.hasPrefix("ssp.json:3:17: error: not valid JSON") == true)
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(throws: ImportError.self) { try read("{\"system-security-plan\": \(deep)}") }
        guard case .invalidJSON(_, 1, _, let detail) = error else { Issue.record("\(error)"); return }
        #expect(detail.contains("deeper than 64"))
    }

    @Test func notAnSSPSaysWhatItIs() throws {
        let error = try #require(throws: ImportError.self) { try read("{\"component-definition\": {\"uuid\": \"x\"}}") }
        #expect(error == .notSSP(path: "ssp.json", found: "the file is an OSCAL component-definition"))
        #expect(throws: ImportError.notSSP(path: "ssp.json", found: "the JSON is not an object")) { try read("[1, 2]") }
    }

    @Test func sspWithoutExportIsRefused() throws {
        let json = "{\"system-security-plan\": {\"metadata\": {\"roles\": [{\"id\": \"admin\"}]}, \"control-implementation\": "
            + "{\"implemented-requirements\": [{\"control-id\": \"ac-1\", \"by-components\": [{\"component-uuid\": \"c\", \"description\": \"d\"}]}]}}}"
        let error = try #require(throws: ImportError.self) { try read(json) }
        #expect(error == .noExport(path: "ssp.json"))
        #expect(error.errorDescription?.contains("exports nothing to its customers") == true)
    }

    @Test func responsibilityWithoutDescriptionNamesItsJSONPath() throws {
        let text = try String(contentsOf: Paths.fixture("ssp-small.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"description\": \"Review storage accounts every quarter!\"", with: "\"description\": \" \"")
        let error = try #require(throws: ImportError.self) { try read(text) }
        let path = "$.system-security-plan.control-implementation.implemented-requirements[1].statements[0].by-components[0].export.responsibilities[0]"
        #expect(error == .invalidSSP(path: "ssp.json", line: 68, column: 23, jsonPath: path,
                                     detail: "a responsibility without a description; add a description saying what the customer must do"))
    }

    @Test func sentencesEndAtPunctuationFollowedBySpace() {
        #expect(OSCALReader.firstSentence("Use SAML 2.0 for sign-in. Then log.") == "Use SAML 2.0 for sign-in.")
        #expect(OSCALReader.firstSentence("Why? Because.") == "Why?")
        #expect(OSCALReader.firstSentence("No end") == "No end")
        #expect(OSCALReader.displayedControl("ia-2.12") == "IA-2(12)" && OSCALReader.displayedControl("ac-2") == "AC-2")
    }
}

/// NIST's own OSCAL examples in ../shared/real-world/oscal.
@Suite(.enabled(if: Paths.realWorldAvailable, "../shared/real-world is absent (as on a user's machine): NIST OSCAL examples skipped"))
struct NISTOSCALExampleTests {
    static let folder = "oscal/usnistgov-oscal-content@88bb8de2__examples__"

    func read(_ file: String) throws -> ParsedMatrix {
        try MatrixReader().read(contentsOf: Paths.realWorld.appendingPathComponent(Self.folder + file), path: file)
    }

    @Test func leveragedSSPGivesTwoObligationsAndTwoInherited() throws {
        let matrix = try read("ssp__json__oscal_leveraged-example_ssp.json")
        let obligations = matrix.rows.filter { $0.kind == .obligation }
        let inherited = matrix.rows.filter { $0.kind == .inherited }
        #expect(matrix.rows.count == 4)
        #expect(obligations.map(\.section) == ["AC-2 a. / This System", "AC-2 a. / Application"])
        #expect(obligations.allSatisfy { $0.task == "Leveraging system's responsibilities with respect to inheriting this capability." })
        #expect(obligations.map(\.inherits) == ["11111111-0000-4000-9009-002001001001", "11111111-0000-4000-9009-002001002001"])
        #expect(inherited.map(\.section) == ["AC-2 a. / This System", "AC-2 a. / Application"])
        #expect(inherited.map(\.task) == [
            "Consumer-appropriate description of what a leveraging system may inherite from THIS SYSTEM in the context of satisfying satisfaction of AC-2, part a.",
            "Consumer-appropriate description of what may be inherited.",
        ])
    }

    @Test(arguments: [
        ("ssp__json__oscal_leveraging-example_ssp.json", ImportError.noExport(path: "ssp__json__oscal_leveraging-example_ssp.json")),
        ("ssp__json__ssp-example.json", ImportError.noExport(path: "ssp__json__ssp-example.json")),
        ("component-definition__json__example-component-definition.json",
         ImportError.notSSP(path: "component-definition__json__example-component-definition.json", found: "the file is an OSCAL component-definition")),
    ])
    func otherExamplesAreRefusedSayingWhy(file: String, expected: ImportError) throws {
        #expect(throws: expected) { try read(file) }
    }
}
