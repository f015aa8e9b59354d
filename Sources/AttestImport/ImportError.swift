public import Foundation

/// A matrix that cannot be imported. Messages name the file, line and column, what is wrong, and what to try.
public enum ImportError: Error, LocalizedError, Sendable, Equatable {
    case fileNotFound(path: String)
    case unreadable(path: String, detail: String)
    case isDirectory(path: String)
    case notText(path: String)
    case noResponsibilityTable(path: String, skipped: [String])
    case partyNotFound(path: String, party: String, found: [String])
    case unreadableLetters(path: String, line: Int, column: Int, party: String, value: String)
    case taskColumnNotFound(path: String, line: Int, column: String, headers: [String])
    case malformedCSV(path: String, line: Int, column: Int, detail: String)

    public var errorDescription: String? {
        switch self {
        case .fileNotFound(let path):
            return "\(path): error: no such file; give the path of a markdown, HTML or CSV matrix"
        case .unreadable(let path, let detail):
            return "\(path): error: cannot read: \(detail); check the path and that you may read it (ls -l)"
        case .isDirectory(let path):
            return "\(path): error: is a directory; give the matrix file inside it"
        case .notText(let path):
            return "\(path): error: not UTF-8 text; export the matrix as markdown, HTML or CSV (UTF-8)"
        case .noResponsibilityTable(let path, let skipped):
            var text = "\(path): error: no responsibility table found"
            if skipped.isEmpty {
                text += " (the file has no table)"
            } else {
                text += "; skipped:\n" + skipped.map { "  \($0)" }.joined(separator: "\n")
            }
            return text + "\nA responsibility table has a customer column (Customer, Merchant, Client, …; or name yours with --party NAME) "
                + "or one Responsibility column that names the party."
        case .partyNotFound(let path, let party, let found):
            let list = found.isEmpty ? "none" : found.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(path): error: no table has a party column named \"\(party)\"; the parties found are: \(list); pass one of them with --party"
        case .unreadableLetters(let path, let line, let column, let party, let value):
            return "\(path):\(line):\(column): error: \(party): \"\(value)\" is not a RACI value; use R, A, C, I "
                + "(combined like RA or C, I), X, ✓, Owner, Responsible, Accountable, Consulted, Informed, or leave it empty"
        case .taskColumnNotFound(let path, let line, let column, let headers):
            return "\(path):\(line):1: error: no column named \"\(column)\"; the columns are: \(headers.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .malformedCSV(let path, let line, let column, let detail):
            return "\(path):\(line):\(column): error: \(detail)"
        }
    }
}
