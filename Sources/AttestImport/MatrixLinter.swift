public import AttestCore

/// RACI anomalies of a matrix, row by row, with where they are.
public enum MatrixLinter {
    public struct Finding: Hashable, Sendable {
        public var line: Int
        public var section: String
        public var task: String
        public var anomaly: RACILint.Anomaly
    }

    public static func lint(_ matrix: ParsedMatrix) -> [Finding] {
        matrix.rows.filter { $0.kind != .notApplicable }.flatMap { row -> [Finding] in
            var anomalies = row.unreadable.sorted { $0.key < $1.key }.map { RACILint.Anomaly.unreadable(party: $0.key, value: $0.value) }
            let parties = matrix.parties.filter { row.responsibility[$0] != nil }
            if row.unreadable.isEmpty || row.responsibility.values.contains(where: { !$0.isEmpty }) {
                anomalies += RACILint.anomalies(row.responsibility, parties: parties, singleColumn: row.singleColumn)
            }
            return anomalies.map { Finding(line: row.line, section: row.section, task: row.task, anomaly: $0) }
        }
    }
}
