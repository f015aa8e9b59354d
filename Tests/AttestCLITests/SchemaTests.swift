import AttestTestSupport
import Foundation
import Testing

/// Every record type attest writes is valid against its JSON Schema in Schemas/ (checked by Python's
/// jsonschema, an independent implementation), and a minimal record written by the schema is read.
@Suite struct SchemaTests {
    static let hasValidator: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import jsonschema"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static let validator = """
        import json, sys, pathlib, jsonschema
        schemas = pathlib.Path(sys.argv[1])
        checked = {}
        for path in sorted(pathlib.Path(sys.argv[2]).rglob("*.json")):
            if "records" not in path.parts or path.name.startswith("."):
                continue
            record = json.loads(path.read_text(encoding="utf-8"))
            name = record["type"]
            schema = json.loads((schemas / f"{name}.schema.json").read_text(encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(record)
            checked[name] = checked.get(name, 0) + 1
        print(json.dumps(checked, sort_keys=True))
        """

    /// Every record under the workspace's Checklists/ checked against Schemas/ by Python's jsonschema; the
    /// number of records checked per type.
    static func validateRecords(_ cli: CLI, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int] {
        let result = try cli.run(["python3", "-c", validator, CLI.root.appendingPathComponent("Schemas").path,
                                  cli.workspace.appendingPathComponent("Checklists").path], executable: "/usr/bin/env")
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Int], sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: hasValidator, "python3 with jsonschema is not installed (.ci/run installs it): schema check skipped"))
    func everyRecordTypeMatchesItsSchema() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.directory.write("e.txt", "evidence")
        try cli.run(["tick", "ACCS-11", "--file", "e.txt", "--link", "https://x.example.com/1", "--note", "n", "--by", "alice",
                     "--ref", "https://store.example.com/big.tar", "--sha256", String(repeating: "ab", count: 32), "--valid-until", "2099-01-01"]).expectSuccess()
        try cli.run(["tick", "ACCS-12", "--note", "n", "--by", "alice"]).expectSuccess()
        let log = try #require(try cli.json(["log", "ACCS-12"]) as? [String: Any])
        let evidence = try #require((log["entries"] as? [[String: Any]])?.last?["id"] as? String)
        try cli.run(["review", evidence, "--accept", "--by", "bob", "--comment", "fine"]).expectSuccess()
        try cli.run(["revoke", evidence, "--reason", "superseded", "--by", "alice"]).expectSuccess()
        try cli.run(["waive", "ACCS-13", "--reason", "r", "--approved-by", "ciso", "--until", "2099-01-01"]).expectSuccess()
        try cli.run(["na", "ACCS-14", "--reason", "r", "--approved-by", "ciso"]).expectSuccess()
        try cli.run(["settings", "--review-required", "true", "--review-interval", "1y", "--due-soon", "6w"]).expectSuccess()

        let counts = try Self.validateRecords(cli)
        #expect(Set(counts.keys) == ["evidence", "import", "not-applicable", "review", "revocation", "settings", "waiver"])
    }

    @Test func settingsAreShownChangedAndRecorded() throws {
        let cli = try CLI.withDefaultChecklist()
        let changed = try #require(try cli.json(["settings", "--review-required", "true", "--due-soon", "6w"]) as? [String: Any])
        #expect(changed["reviewRequired"] as? Bool == true && changed["dueSoonWindow"] as? String == "6w")
        #expect(changed["signatures"] as? String == "optional" && changed["defaultReviewInterval"] is NSNull,
                "every setting the text shows, unset ones as null")
        try cli.run(["tick", "ACCS-11", "--note", "n", "--by", "alice"]).expectSuccess()
        let shown = try #require(try cli.json(["show", "ACCS-11"]) as? [String: Any])
        #expect(shown["status"] as? String == "pending", "review required: unreviewed evidence does not count")
        let log = try #require(try cli.json(["log"]) as? [String: Any])
        #expect((log["entries"] as? [[String: Any]])?.contains { $0["type"] as? String == "settings" && $0["reviewRequired"] as? Bool == true } == true,
                "each change is a settings record")
        let bad = try cli.run(["settings", "--review-interval", "fortnightly"])
        #expect(bad.status == 2 && bad.stderr.contains("use 30d, 6w, 3m, 1y or none"))
    }
}
