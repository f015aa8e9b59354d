public import Foundation

/// Phrases shown to people, each written once and rendered by every output (CLI text, JSON, JUnit,
/// markdown, OSCAL).
public enum Wording {
    /// A word for a POSIX shell, for commands printed to be pasted: as it is when it holds only safe
    /// characters, else single-quoted; control characters dropped (no principal, report or record path of
    /// attest's holds one).
    public static func shellWord(_ value: String) -> String {
        let cleaned = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        let safe = !cleaned.isEmpty && cleaned.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "@%+=:,./_-".unicodeScalars.contains($0))
        }
        return safe ? cleaned : "'" + cleaned.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `1 attachment`, `2 attachments`; `plural` when adding "s" is wrong.
    public static func count(_ number: Int, _ singular: String, plural: String? = nil) -> String {
        "\(number) " + (number == 1 ? singular : plural ?? singular + "s")
    }

    /// Evidence dated after the evaluation time: it does not count until then.
    public static func notYetEffective(until effective: Date) -> String {
        "not yet effective until \(Timestamp.human(effective))"
    }
}

/// The overall verdict of a checklist, phrased once for `status`, `gate`, `report` and the reports.
public struct Verdict: Hashable, Sendable {
    public var passes: Bool
    public var required: Int
    public var unsatisfied: Int
    public var asOf: Date

    public init(_ state: ChecklistState) {
        passes = state.passes
        required = state.required.count
        unsatisfied = state.blocking.count
        asOf = state.asOf
    }

    /// `PASS` or `FAIL`.
    public var word: String { passes ? "PASS" : "FAIL" }

    /// `6 of 8 obligations unsatisfied as of 2026-11-27 12:09Z`.
    public var detail: String {
        let counted: String
        if required == 0 {
            counted = "no obligations, nothing to gate"
        } else if passes {
            counted = required == 1 ? "the 1 obligation is satisfied" : "all \(required) obligations satisfied"
        } else {
            counted = "\(unsatisfied) of \(Wording.count(required, "obligation")) unsatisfied"
        }
        return "\(counted) as of \(Timestamp.human(asOf))"
    }

    /// `FAIL: 6 of 8 obligations unsatisfied as of 2026-11-27 12:09Z`.
    public var line: String { "\(word): \(detail)" }
}

extension ChecklistState {
    public var verdict: Verdict { Verdict(self) }
}

extension EvidenceState {
    /// How the evidence stands, in words: the standing's name, or "not yet effective until DATE".
    public var standingText: String {
        standing == .notYetEffective ? Wording.notYetEffective(until: evidence.effective) : standing.rawValue
    }
}

extension ItemState {
    /// Evidence that will count once its effective date comes, earliest first.
    public var futureEvidence: [EvidenceState] { evidence.filter { $0.standing == .notYetEffective } }

    /// What is missing and the command that fixes it; evidence dated in the future is named as such
    /// rather than as "no evidence recorded".
    public func attention(checklist: String) -> (missing: String, fix: String) {
        let (missing, fix) = explanation(checklist: checklist)
        guard status == .pending, missing == "no evidence recorded",
              let first = futureEvidence.min(by: { $0.evidence.effective < $1.evidence.effective }) else { return (missing, fix) }
        return ("evidence \(first.record.id) is \(Wording.notYetEffective(until: first.evidence.effective)); nothing counts before then",
                "wait until \(Timestamp.human(first.evidence.effective)), or \(fix)")
    }
}
