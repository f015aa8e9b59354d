public import Foundation

/// A matrix that cannot be imported. Messages name the file, line and column, what is wrong, and what to try.
public enum ImportError: Error, LocalizedError, Sendable, Equatable {
    case fileNotFound(path: String)
    case unreadable(path: String, detail: String)
    case isDirectory(path: String)
    case notText(path: String, line: Int?)
    case tooLarge(path: String, limit: Int)
    case noResponsibilityTable(path: String, skipped: [String])
    case partyNotFound(path: String, party: String, found: [String])
    case unreadableLetters(path: String, line: Int, column: Int, party: String, value: String)
    case taskColumnNotFound(path: String, line: Int, column: String, headers: [String])
    case malformedCSV(path: String, line: Int, column: Int, detail: String)
    /// A `colspan` or `rowspan` reaches column `column`, past the header's last.
    case spanPastHeader(path: String, line: Int, column: Int, headerColumns: Int)
    case tooManyCells(path: String, line: Int, limit: Int)
    case invalidJSON(path: String, line: Int, column: Int, detail: String)
    /// A JSON file that is not an OSCAL System Security Plan; `found` says what it is.
    case notSSP(path: String, found: String)
    /// An SSP whose by-components export nothing: no responsibility matrix for its customers.
    case noExport(path: String)
    /// An SSP entry that breaks a rule: where (line, column, JSON path) and what to do.
    case invalidSSP(path: String, line: Int, column: Int, jsonPath: String, detail: String)
    case unknownRole(path: String, role: String, roles: [String])

    public var errorDescription: String? {
        switch self {
        case .fileNotFound(let path):
            return "\(path): error: no such file; give the path of a markdown, HTML or CSV matrix"
        case .unreadable(let path, let detail):
            return "\(path): error: cannot read: \(detail); check the path and that you may read it (ls -l)"
        case .isDirectory(let path):
            return "\(path): error: is a directory; give the matrix file inside it"
        case .notText(let path, let line):
            return "\(path)\(line.map { ":\($0):1" } ?? ""): error: not UTF-8 text; export the matrix as markdown, HTML or CSV (UTF-8)"
        case .tooLarge(let path, let limit):
            return "\(path): error: larger than the \(limit)-byte limit for this reader; split the matrix into smaller files"
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
        case .spanPastHeader(let path, let line, let column, let headerColumns):
            return "\(path):\(line):1: error: a cell's colspan or rowspan reaches column \(column), but the header has "
                + "\(headerColumns) column\(headerColumns == 1 ? "" : "s"); fix the span or add the missing header cell, so that "
                + "every letter sits under the party it belongs to"
        case .tooManyCells(let path, let line, let limit):
            return "\(path):\(line):1: error: the table's colspan and rowspan expand it past \(limit) cells (the limit); "
                + "check the spans, or split the table"
        case .invalidJSON(let path, let line, let column, let detail):
            return "\(path):\(line):\(column): error: not valid JSON: \(detail); fix the file (an OSCAL SSP is a JSON object)"
        case .notSSP(let path, let found):
            return "\(path): error: \(found), not an OSCAL System Security Plan (no \"system-security-plan\" object); "
                + "import the SSP of the system you leverage, whose by-components export responsibilities"
        case .noExport(let path):
            return "\(path): error: the SSP exports nothing to its customers (no by-components[].export.responsibilities or "
                + "export.provided): it is not a responsibility matrix; import the SSP of the system you leverage instead"
        case .invalidSSP(let path, let line, let column, let jsonPath, let detail):
            return "\(path):\(line):\(column): error: \(jsonPath): \(detail)"
        case .unknownRole(let path, let role, let roles):
            let list = roles.isEmpty ? "none" : roles.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(path): error: the SSP defines no role \"\(role)\"; its roles are: \(list); pass the customer's with --party ROLE"
        }
    }
}
