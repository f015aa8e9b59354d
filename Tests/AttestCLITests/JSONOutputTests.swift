import AttestTestSupport
import Foundation
import Testing

/// Golden files for every `--format json` output, on a workspace whose records are fixed files (as a CI job
/// drops them in), evaluated at a fixed --as-of. Re-record on purpose with RECORD_SNAPSHOTS=1 and review.
@Suite struct JSONOutputTests {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static let asOf = "2026-12-01"

    static func workspace() throws -> CLI {
        let cli = try CLI.withDefaultChecklist()
        let records = "Checklists/adobe-commerce-cloud-service/records"
        func record(_ item: String, _ id: String, _ body: String) throws {
            try cli.directory.write("\(records)/\(item)/\(id).json", """
                {"schemaVersion": "1.0", "id": "\(id)", "checklist": "adobe-commerce-cloud-service", "item": "\(item)",
                 "recordedAt": "2026-11-27T13:00:00.000Z", "by": "alice@example.com", \(body)}
                """)
        }
        try record("ACCS-11", "ev-20261127T130000Z-00000001", """
            "type": "evidence", "effective": "2026-11-27T13:00:00.000Z", "validUntil": "2027-12-01T00:00:00.000Z",
            "note": "Q4 integration review", "links": ["https://jira.example.com/SEC-42"],
            "references": [{"url": "https://files.example.com/review.pdf", "sha256": "\(String(repeating: "ab", count: 32))"}]
            """)
        try record("ACCS-12", "ev-20261127T130000Z-00000002", """
            "type": "evidence", "effective": "2099-01-01T00:00:00.000Z", "note": "Inventory signed for next year"
            """)
        try record("ACCS-13", "wv-20261127T130000Z-00000003", """
            "type": "waiver", "reason": "Load tests move to the new region in Q1", "approvedBy": "ciso@example.com",
            "until": "2027-04-01T00:00:00.000Z"
            """)
        return cli
    }

    static let commands: [(name: String, arguments: [String])] = [
        ("list", ["list"]),
        ("show", ["show", "ACCS-11"]),
        ("status", ["status"]),
        ("gate", ["gate"]),
        ("log", ["log"]),
        ("verify", ["verify"]),
        ("lint", ["lint", "Checklists/adobe-commerce-cloud-service/source/shared-responsibility.md"]),
    ]

    @Test(arguments: commands.indices)
    func matchesItsGoldenFile(_ index: Int) throws {
        let (name, arguments) = Self.commands[index]
        let cli = try Self.workspace()
        let timed = name == "lint" ? arguments : arguments + ["--as-of", Self.asOf]
        let result = try cli.run(timed + ["--format", "json"])
        #expect([0, 1].contains(result.status), "\(name): exit \(result.status) \(result.stderr)")
        let output = result.stdout.replacingOccurrences(of: cli.workspace.path, with: "WORKSPACE")
        let url = Self.snapshots.appendingPathComponent("\(name).json")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try Data(output.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(output == expected, "\(name).json differs from its golden file; if intended, re-record with RECORD_SNAPSHOTS=1 and review the diff")
    }
}
