public import AttestCore

/// RACI anomalies of a matrix, row by row, with where they are.
public enum MatrixLinter {
    public struct Finding: Hashable, Sendable {
        public var line: Int
        public var section: String
        public var task: String
        public var anomaly: RACILint.Anomaly
    }

    /// Something a reader should check, which is not an anomaly (lint does not fail for it).
    public struct Note: Hashable, Sendable {
        public var line: Int
        public var section: String
        public var task: String
        public var message: String
    }

    public static func lint(_ matrix: ParsedMatrix) -> [Finding] {
        matrix.rows.filter { $0.kind != .notApplicable }.flatMap { row -> [Finding] in
            var anomalies = row.unreadable.sorted { $0.key < $1.key }.map { RACILint.Anomaly.unreadable(party: $0.key, value: $0.value) }
            // Letters one spanning cell gave several parties are one assignment: keep the first party of each span.
            var responsibility = row.responsibility
            for group in row.sharedCells { for name in group.dropFirst() { responsibility[name] = nil } }
            let parties = matrix.parties.filter { responsibility[$0] != nil }
            if row.unreadable.isEmpty || responsibility.values.contains(where: { !$0.isEmpty }) {
                anomalies += RACILint.anomalies(responsibility, parties: parties, singleColumn: row.singleColumn)
            }
            return anomalies.map { Finding(line: row.line, section: row.section, task: row.task, anomaly: $0) }
        }
    }

    /// Rows whose customer letters come from one cell spanning the customer's and another party's columns:
    /// the reading gives both the letters, which a person should confirm against the page.
    public static func notes(_ matrix: ParsedMatrix) -> [Note] {
        matrix.rows.flatMap { row in
            row.sharedCells.filter { $0.contains(matrix.customerParty) && $0.count > 1 }.map { group in
                let letters = row.responsibility[matrix.customerParty] ?? ""
                return Note(line: row.line, section: row.section, task: row.task,
                            message: "one cell spans the columns of \(group.joined(separator: ", ")); each was given its letters "
                                + "(\(letters.isEmpty ? "none" : letters)); check that the page means this")
            }
        }
    }
}
