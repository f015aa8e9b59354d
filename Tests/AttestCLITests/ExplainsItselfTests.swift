import AttestTestSupport
import Foundation
import Testing

/// The CLI explains itself: examples in every subcommand's help, the subcommand's usage on errors,
/// "did you mean", messages that name what was typed, and one wording for the verdict.
@Suite struct ExplainsItselfTests {
    static let subcommands = ["init", "import", "list", "show", "status", "tick", "revoke", "waive", "na", "review", "settings",
                              "log", "report", "gate", "verify", "lint"]

    @Test func everySubcommandsHelpHasExamples() throws {
        let cli = try CLI()
        let top = try cli.run(["--help"])
        for command in Self.subcommands {
            #expect(top.stdout.contains("  \(command)"), "--help lists \(command)")
            for arguments in [[command, "--help"], ["help", command]] {
                let help = try cli.run(arguments)
                #expect(help.status == 0, "\(arguments)")
                let examples = try #require(help.stdout.components(separatedBy: "EXAMPLES:\n").last, "\(arguments): no examples")
                #expect(examples.contains("  attest \(command)"), "\(arguments): the examples show \(command)")
            }
        }
    }

    /// `signers list --help` (and `help signers list`) is the nested command's own help, with its options,
    /// not the parent's; its examples once.
    @Test func aNestedSubcommandsHelpIsItsOwn() throws {
        let cli = try CLI()
        for arguments in [["signers", "list", "--help"], ["help", "signers", "list"]] {
            let help = try cli.run(arguments)
            #expect(help.status == 0 && help.stdout.contains("USAGE: attest signers list") && help.stdout.contains("--format <format>"),
                    "\(arguments): \(help.stdout)")
            #expect(help.stdout.components(separatedBy: "attest signers list --format json").count == 2, "examples once: \(help.stdout)")
            #expect(!help.stdout.contains("attest signers add "), "only its own examples: \(help.stdout)")
        }
        // A group's help gathers its subcommands' examples; a typo of a subcommand gets a suggestion.
        let group = try cli.run(["signers", "--help"])
        #expect(group.stdout.contains("attest signers add ") && group.stdout.contains("attest signers list --format json"), "\(group.stdout)")
        let typo = try cli.run(["signers", "ad", "alice@example.com", "key.pub"])
        #expect(typo.status == 2 && typo.stderr.contains("no command 'signers ad'") && typo.stderr.contains("Did you mean 'signers add'?")
                && typo.stderr.contains("attest signers --help"), "\(typo.stderr)")
    }

    /// `init` again in a workspace with a checklist points on, not back to the import (a new user's find).
    @Test func initInAnImportedWorkspaceDoesNotAskForAnImport() throws {
        let cli = try CLI.withDefaultChecklist()
        let again = try cli.run(["init"])
        #expect(again.status == 0 && again.stdout.contains("already an attest workspace") && again.stdout.contains("Next: attest status"),
                "\(again.stdout)")
        let fresh = try CLI().run(["init"])
        #expect(fresh.stdout.contains("Next: attest import MATRIX --checklist ID"), "\(fresh.stdout)")
    }

    @Test func importHelpDoesNotCallTheChecklistOptional() throws {
        let help = try CLI().run(["import", "--help"])
        let line = try #require(help.stdout.split(separator: "\n").first { $0.contains("--checklist <ID>") && $0.hasPrefix("  --") })
        #expect(!line.contains("optional") && !line.contains("when the workspace has several.") , "\(line)")
        #expect(help.stdout.contains("import: always"))
    }

    @Test func aMistypedCommandOrOptionGetsADidYouMean() throws {
        let cli = try CLI()
        let command = try cli.run(["tikc"])
        #expect(command.status == 2 && command.stderr.contains("Did you mean 'tick'?"), "\(command.stderr)")
        let option = try cli.run(["tick", "X-01", "--efective", "2026-01-01"])
        #expect(option.status == 2 && option.stderr.contains("Did you mean '--effective'?"), "\(option.stderr)")
        #expect(option.stderr.contains("Usage: attest tick"))
    }

    @Test func errorsWhileRunningShowTheSubcommandsUsage() throws {
        let cli = try CLI.withDefaultChecklist()
        let date = try cli.run(["tick", "ACCS-11", "--note", "x", "--effective", "soon"])
        #expect(date.status == 2 && date.stderr.contains("--effective \"soon\" is not a date"), "\(date.stderr)")
        #expect(date.stderr.contains("Usage: attest tick ") && !date.stderr.contains("Usage: attest <subcommand>"))
        let missing = try cli.run(["import", "m.md"])
        #expect(missing.status == 2 && missing.stderr.contains("Usage: attest import "), "\(missing.stderr)")
    }

    @Test func messagesNameWhatWasTyped() throws {
        let cli = try CLI.withDefaultChecklist()
        let past = try cli.run(["tick", "ACCS-11", "--note", "x", "--valid-until", "2026-01-01"])
        #expect(past.status == 2 && past.stderr.contains("--valid-until 2026-01-01 has passed") && past.stderr.contains("--effective DATE"),
                "\(past.stderr)")
        let order = try cli.run(["tick", "ACCS-11", "--note", "x", "--effective", "2026-01-05", "--valid-until", "2026-01-01"])
        #expect(order.stderr.contains("--valid-until 2026-01-01 is not after --effective 2026-01-05"), "\(order.stderr)")
        let nowhere = try cli.run(["list", "--workspace", "/nonexistent"])
        #expect(nowhere.status == 2 && nowhere.stderr.contains("--workspace /nonexistent: no such folder") && !nowhere.stderr.contains("pass --workspace"))
        let notWorkspace = try cli.run(["list", "--workspace", cli.workspace.appendingPathComponent("Reports").path])
        #expect(notWorkspace.status == 2 && notWorkspace.stderr.contains("is not an attest workspace"))
    }

    @Test func initRefusesToNestAWorkspace() throws {
        let cli = try CLI()
        try cli.run(["init"]).expectSuccess()
        let inner = cli.workspace.appendingPathComponent("team")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        let nested = try cli.run(["init"], in: inner)
        #expect(nested.status == 2 && nested.stderr.contains("lies inside the attest workspace at"), "\(nested.stderr)")
        #expect(!FileManager.default.fileExists(atPath: inner.appendingPathComponent("Checklists").path))
        try cli.run(["init", "--nested"], in: inner).expectSuccess()
        #expect(try cli.run(["init"]).stdout.contains("already an attest workspace"))
    }

    @Test func listShowsADashForItemsNotRequired() throws {
        let cli = try CLI.withDefaultChecklist()
        let list = try cli.run(["list"])
        let rows = list.stdout.split(separator: "\n").dropFirst()
        let inherited = try #require(rows.first { $0.contains(" inherited ") })
        let obligation = try #require(rows.first { $0.contains(" obligation ") })
        #expect(inherited.split(separator: " ", omittingEmptySubsequences: true)[1] == "-")
        #expect(obligation.split(separator: " ", omittingEmptySubsequences: true)[1] == "pending")
        let json = try #require(try cli.json(["list"]) as? [String: Any])
        let item = try #require((json["items"] as? [[String: Any]])?.first { $0["kind"] as? String == "inherited" })
        #expect(item["status"] as? String == "pending" && item["required"] as? Bool == false)
    }

    @Test func oneVerdictWordingAcrossStatusReportAndGate() throws {
        let cli = try CLI.withDefaultChecklist()
        let phrase = "FAIL: 8 of 8 obligations unsatisfied as of "
        #expect(try cli.run(["status"]).stdout.contains(phrase))
        #expect(try cli.run(["gate"]).stdout.contains(phrase))
        #expect(try cli.run(["report"]).stdout.contains(phrase))
        let markdown = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/adobe-commerce-cloud-service.md"), encoding: .utf8)
        #expect(markdown.contains("**Verdict: FAIL**: 8 of 8 obligations unsatisfied as of "))
        let status = try #require(try cli.json(["status"]) as? [String: Any])
        let first = try #require((status["checklists"] as? [[String: Any]])?.first)
        #expect((first["verdict"] as? String)?.hasPrefix(phrase) == true)
    }

    @Test func futureEvidenceIsRefusedUnlessAllowedAndThenShownAsNotYetEffective() throws {
        let cli = try CLI.withDefaultChecklist()
        let refused = try cli.run(["tick", "ACCS-11", "--note", "x", "--effective", "2099-01-01"])
        #expect(refused.status == 2 && refused.stderr.contains("--allow-future"), "\(refused.stderr)")
        #expect(cli.files().filter { $0.contains("/records/ACCS-11/") }.isEmpty, "nothing recorded")
        let allowed = try cli.run(["tick", "ACCS-11", "--note", "x", "--effective", "2099-01-01", "--allow-future"])
        allowed.expectSuccess()
        #expect(allowed.stdout.contains("not yet effective until 2099-01-01"))
        let status = try cli.run(["status"])
        #expect(status.stdout.contains("not yet effective until 2099-01-01") && !status.stdout.contains("ACCS-11  Integrating external applications\n               no evidence recorded"))
        let show = try cli.json(["show", "ACCS-11"]) as? [String: Any]
        #expect(show?["status"] as? String == "pending")
        try cli.run(["report"]).expectSuccess()
        for name in ["md", "junit.xml", "oscal-ar.json"] {
            let text = try String(contentsOf: cli.workspace.appendingPathComponent("Reports/adobe-commerce-cloud-service.\(name)"), encoding: .utf8)
            #expect(text.contains("not yet effective until 2099-01-01"), "\(name)")
        }
        // From its effective date on it counts.
        #expect(try cli.run(["status", "--as-of", "2099-01-02"]).stdout.contains("7 of 8 obligations unsatisfied"))
    }

    @Test func mediaTypesComeFromTheContentAndTheExtensionIsKeptBeside() throws {
        let cli = try CLI.withDefaultChecklist()
        try cli.directory.write("fake.pdf", "this is text, not a PDF\n")
        let tick = try cli.run(["tick", "ACCS-11", "--file", "fake.pdf"])
        tick.expectSuccess()
        #expect(tick.stdout.contains("24 bytes  text/plain (its name suggests application/pdf)"),
                "\(tick.stdout)")
        let record = try #require(cli.files().first { $0.contains("/records/ACCS-11/") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: cli.workspace.appendingPathComponent(record))) as? [String: Any])
        let attachment = try #require((json["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["mediaType"] as? String == "text/plain" && attachment["extensionMediaType"] as? String == "application/pdf")
    }
}
