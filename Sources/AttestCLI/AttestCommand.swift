public import ArgumentParser
import AttestCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `attest`: a provider's RACI matrix becomes the customer's checklist, with evidence, reports and a CI gate.
public struct AttestCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Turn a provider's shared-responsibility (RACI) matrix into your checklist, record evidence, report and gate CI.",
        discussion: """
            A workspace is a folder with Checklists/ (usually a git repository); attest finds it from the current \
            directory upwards, or takes --workspace DIR. Records are JSON files, one per record, never rewritten.

            Typical session:
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
              3  integrity: an attachment missing or altered, a digest changed
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Import.self, List.self, Show.self, Status.self, Tick.self, Revoke.self, Waive.self,
            NotApplicableCommand.self, ReviewCommand.self, Settings.self, Log.self, Report.self, Gate.self, Verify.self,
            Lint.self,
            Approve.self, Sign.self, Signers.self,
        ]
    )

    public init() {}

    /// Parses, runs, and exits with the contract's codes: usage errors are 2 (not ArgumentParser's 64),
    /// integrity failures 3. SIGXFSZ is ignored so that a file-size limit fails a write instead of killing attest.
    public static func main() {
        signal(SIGXFSZ, SIG_IGN)
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            Console.error(fullMessage(for: error))
            Console.flush()
            Glibc.exit(2)
        }
        var running = command
        do {
            try running.run()
            Console.flush()
        } catch let code as ExitCode {
            Console.flush()
            Glibc.exit(code.rawValue)
        } catch let error as IntegrityError {
            Console.flush()
            Console.error(Console.paint("integrity failure:", .red) + " " + (error.errorDescription ?? ""))
            Glibc.exit(3)
        } catch let error as any LocalizedError {
            Console.flush()
            Console.error(Console.highlightError(error.errorDescription ?? "\(error)"))
            Glibc.exit(2)
        } catch {
            Console.flush()
            if exitCode(for: error) == .success { exit(withError: error) }
            Console.error(fullMessage(for: error))
            Glibc.exit(2)
        }
    }
}
