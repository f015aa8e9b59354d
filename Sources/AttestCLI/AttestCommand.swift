public import ArgumentParser
import AttestCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `attest`: a provider's RACI matrix becomes the customer's checklist, with evidence, reports and a CI gate.
public struct AttestCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Turn a provider's shared-responsibility (RACI) matrix into your checklist, record evidence, report and gate CI.",
        discussion: """
            A workspace is a folder with Checklists/ (usually a git repository); attest finds it from the current \
            directory upwards, or takes --workspace DIR. Records are JSON files, one per record, never rewritten.

            Typical session (`attest help COMMAND` shows each command's options and examples):
              attest init
              attest import vendor/matrix.md --checklist acme-cloud
              attest list
              attest tick AC-11 --file evidence/review.pdf --note "Q3 review"
              attest status
              attest report && attest gate

            Exit codes:
              0  success (gate: all required items satisfied; lint: no anomaly)
              1  gate: a required item is unsatisfied; lint: anomalies found
              2  usage or input error, or a failed write (nothing half-written)
              3  integrity: an attachment or source missing or altered, a committed file
                 modified or deleted, an item table its source does not give, a digest changed
            """,
        version: AttestVersion.current,
        subcommands: [
            Init.self, Import.self, List.self, Show.self, Status.self, Tick.self, Revoke.self, Waive.self,
            NotApplicableCommand.self, ReviewCommand.self, Settings.self, Log.self, Report.self, Gate.self, Verify.self,
            Lint.self,
            Approve.self, Sign.self, Signers.self,
        ]
    )

    public init() {}

    /// Parses, runs, and exits with the contract's codes: usage errors are 2 (not ArgumentParser's 64),
    /// integrity failures 3. SIGXFSZ is ignored so that a file-size limit fails a write instead of killing attest;
    /// SIGCHLD gets its default back (ignored, as a parent may leave it, the system would reap git before attest
    /// learns how it ended). Interrupted, attest removes the temporary files it was writing (`Interruption`).
    public static func main() {
        signal(SIGXFSZ, SIG_IGN)
        signal(SIGCHLD, SIG_DFL)
        Interruption.install()
        switch CommandLineIntent.of(Array(CommandLine.arguments.dropFirst()), root: self) {
        case .help(let subcommand, let name):
            // ArgumentParser's help screen, then the command's examples.
            var text = helpMessage(for: subcommand)
            while text.hasSuffix("\n") { text.removeLast() }
            if let examples = HelpExamples.section(for: name) { text += "\n\n" + examples }
            Console.print(text)
            Console.flush()
            Platform.exit(0)
        case .unknownSubcommand(let typed, let suggestion):
            // A typo after a command group (`signers ad`) points to the group's help.
            let group = typed.split(separator: " ").dropLast().joined(separator: " ")
            Console.error("error: attest has no command '\(typed)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                + "\nUsage: " + usageString(for: self) + "\n  See 'attest \(group.isEmpty ? "" : group + " ")--help' for the commands.")
            Platform.exit(2)
        case .parse:
            break
        }
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            Console.error(fullMessage(for: error))
            Console.flush()
            Platform.exit(2)
        }
        var running = command
        do {
            try running.run()
            Console.flush()
        } catch let code as ExitCode {
            Console.flush()
            Platform.exit(code.rawValue)
        } catch let error as ValidationError {
            // Thrown while running (a date, a missing option): the subcommand's usage, not the top level's.
            Console.flush()
            let name = type(of: command)._commandName
            Console.error("Error: \(error.message)\nUsage: " + usageString(for: type(of: command))
                + "\n  See 'attest \(name) --help' for options and examples.")
            Platform.exit(2)
        } catch let error as IntegrityError {
            Console.flush()
            Console.integrityFailure(error.errorDescription ?? "")
            Platform.exit(3)
        } catch let error as any LocalizedError {
            Console.flush()
            Console.error(error.errorDescription ?? "\(error)")
            Platform.exit(2)
        } catch {
            Console.flush()
            if exitCode(for: error) == .success { exit(withError: error) }
            Console.error(fullMessage(for: error))
            Platform.exit(2)
        }
    }
}
