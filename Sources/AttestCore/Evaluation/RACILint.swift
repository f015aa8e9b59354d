/// RACI anomalies of one row: no Accountable party, several, nobody at all, letters that cannot be read.
public enum RACILint {
    public enum Anomaly: Hashable, Sendable, CustomStringConvertible {
        case noAccountable
        case severalAccountable([String])
        case nobody
        case unreadable(party: String, value: String)

        public var code: String {
            switch self {
            case .noAccountable: "no-accountable"
            case .severalAccountable: "several-accountable"
            case .nobody: "nobody"
            case .unreadable: "unreadable-letters"
            }
        }

        public var description: String {
            switch self {
            case .noAccountable: "no party is Accountable"
            case .severalAccountable(let parties): "several parties are Accountable: \(parties.joined(separator: ", "))"
            case .nobody: "no party holds any letter"
            case .unreadable(let party, let value): "\(party): \"\(value)\" is not R, A, C or I"
            }
        }
    }

    /// `responsibility` maps party names to normalized letters. A single-responsibility-column row
    /// (`singleColumn`) names who does it and has no A to look for.
    public static func anomalies(_ responsibility: [String: String], parties: [String], singleColumn: Bool = false) -> [Anomaly] {
        let ordered = parties.filter { responsibility[$0] != nil }
        let letters = ordered.map { responsibility[$0] ?? "" }
        if letters.allSatisfy(\.isEmpty) { return [.nobody] }
        if singleColumn { return [] }
        let accountable = ordered.filter { (responsibility[$0] ?? "").contains("A") }
        if accountable.isEmpty { return [.noAccountable] }
        if accountable.count > 1 { return [.severalAccountable(accountable)] }
        return []
    }
}
