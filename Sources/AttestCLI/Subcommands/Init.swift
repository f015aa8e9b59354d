import ArgumentParser
import AttestCore
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a workspace: Checklists/, Reports/ and a .gitignore entry for .attest/.",
        discussion: "Run it at the root of the git repository that will hold your compliance records.")

    @Argument(help: ArgumentHelp("The folder to set up.", valueName: "DIR"))
    var directory: String = "."

    func run() throws {
        let root = URL(fileURLWithPath: directory)
        let created = try Workspace.initialize(at: root)
        if created.isEmpty {
            Console.print("\(directory.visible) is already an attest workspace.")
        } else {
            Console.print("Initialized attest workspace in \(root.standardizedFileURL.path.visible): created \(created.joined(separator: ", ")).")
        }
        Console.print("Next: attest import MATRIX --checklist ID")
    }
}
