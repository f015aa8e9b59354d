import ArgumentParser
import AttestCore
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a workspace: Checklists/, Reports/ and a .gitignore entry for .attest/.",
        discussion: "Run it at the root of the git repository that will hold your compliance records.")

    @Argument(help: ArgumentHelp("The folder to set up.", valueName: "DIR"))
    var directory: String = "."

    @Flag(help: "Create the workspace even inside another one (its records stay separate).")
    var nested = false

    func run() throws {
        let root = URL(fileURLWithPath: directory)
        let own = root.appendingPathComponent("Checklists").path
        if !nested, !FileManager.default.fileExists(atPath: own), root.standardizedFileURL.path != "/",
           let enclosing = try? Workspace.locate(explicit: nil, from: root.standardizedFileURL.deletingLastPathComponent()) {
            throw StoreError.invalidInput("\(root.standardizedFileURL.path) lies inside the attest workspace at \(enclosing.root.path); run attest "
                + "commands there (they find it from any folder below), or pass --nested for a separate workspace")
        }
        let created = try Workspace.initialize(at: root)
        if created.isEmpty {
            Console.print("\(directory.visible) is already an attest workspace.")
        } else {
            Console.print("Initialized attest workspace in \(root.standardizedFileURL.path.visible): created \(created.joined(separator: ", ")).")
        }
        // What to do next depends on what is there: a workspace with checklists needs no import to begin.
        if Workspace(root: root).checklistIDs().isEmpty {
            Console.print("Next: attest import MATRIX --checklist ID")
        } else {
            Console.print("Next: attest status (or attest import MATRIX --checklist ID for another checklist)")
        }
        Console.print("To sign records with SSH keys: attest signers add EMAIL ~/.ssh/id_ed25519.pub, then commit allowed_signers")
    }
}
