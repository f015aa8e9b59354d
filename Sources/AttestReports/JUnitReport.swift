public import AttestCore
import Foundation

/// The JUnit XML report: a flat `testsuites` root, one `testsuite` per checklist, one `testcase` per
/// required, unretired item. Streamed to disk through libxml2's writer.
public struct JUnitReport: Sendable {
    public var states: [ChecklistState]
    /// What produced the report (nil: no generator properties).
    public var generator: ReportGenerator?

    public init(states: [ChecklistState], generator: ReportGenerator? = nil) {
        self.states = states
        self.generator = generator
    }

    /// Streams the report to `path` (a temporary file; `ReportWriter` renames it into place).
    /// `displayPath` is how errors name it.
    public func write(toFile path: String, displayPath: String) throws {
        let writer = try XMLStreamWriter(path: path, displayPath: displayPath)
        try write(with: writer)
        try writer.finish()
    }

    private func write(with writer: XMLStreamWriter) throws {
        let cases = states.map { state in state.items.filter { $0.required } }
        func total(_ predicate: (ItemState) -> Bool) -> Int { cases.joined().filter(predicate).count }
        try writer.startDocument()
        try writer.startElement("testsuites")
        try writer.attribute("name", "attest")
        let integrity = states.map(\.integrityProblems.count).reduce(0, +)
        // A suite with nothing required holds one passing case (below); each integrity failure is an error case.
        try writer.attribute("tests", String(cases.map { max($0.count, 1) }.reduce(0, +) + integrity))
        try writer.attribute("failures", String(total { Self.isFailure($0.status) }))
        try writer.attribute("errors", String(total { $0.status == .broken } + integrity))
        // No `skipped` here: Jenkins' xUnit schema (junit-10.xsd) allows it on <testsuite> only.
        try writer.attribute("time", "0")
        for (state, items) in zip(states, cases) {
            try writeSuite(state, items: items, with: writer)
        }
        try writer.endElement()
    }

    private func writeSuite(_ state: ChecklistState, items: [ItemState], with writer: XMLStreamWriter) throws {
        let id = state.checklist.id
        try writer.startElement("testsuite")
        try writer.attribute("name", id)
        let problems = state.integrityProblems
        try writer.attribute("tests", String(max(items.count, 1) + problems.count))
        try writer.attribute("failures", String(items.filter { Self.isFailure($0.status) }.count))
        try writer.attribute("errors", String(items.filter { $0.status == .broken }.count + problems.count))
        try writer.attribute("skipped", String(items.filter { $0.status == .waived || $0.status == .notApplicable }.count))
        try writer.attribute("time", "0")
        try writer.attribute("timestamp", Timestamp.formatSeconds(state.asOf))
        try writer.startElement("properties")
        let header = AuditHeader(state, generator: generator)
        let properties = header.facts.map { ("attest.\($0.group == "digest" ? "" : $0.group + ".")\($0.key)", $0.value) }
            + [("attest.verdict", state.verdict.line)]
        for (name, value) in properties {
            try writer.startElement("property")
            try writer.attribute("name", name)
            try writer.attribute("value", value)
            try writer.endElement()
        }
        try writer.endElement()
        // Integrity failures lead: the verdict of every item below rests on the records they put in doubt.
        for (index, problem) in problems.enumerated() {
            try writer.startElement("testcase")
            try writer.attribute("name", "integrity failure \(index + 1) of \(problems.count)")
            try writer.attribute("classname", "\(id).integrity")
            try writer.attribute("time", "0")
            try writer.element("error", attributes: [("message", problem), ("type", "integrity")],
                               text: "\(problem)\nsee: attest verify --checklist \(id), which names every failure and its file")
            try writer.endElement()
        }
        // The cases' texts are most of the work (one line per evidence record): composed on every core, written in order.
        let parties = state.parties
        for testCase in Parallel.map(items.count, { Self.testCase(items[$0], checklist: id, parties: parties) }) {
            try writer.startElement("testcase")
            try writer.attribute("name", testCase.name)
            try writer.attribute("classname", testCase.classname)
            try writer.attribute("time", "0")
            if let element = testCase.element {
                try writer.element(element.name, attributes: element.attributes, text: element.text)
            }
            try writer.endElement()
        }
        if items.isEmpty {
            // A suite without test cases fails in Jenkins: say in one passing case that nothing is gated.
            try writer.startElement("testcase")
            try writer.attribute("name", "nothing to gate")
            try writer.attribute("classname", "\(id).checklist")
            try writer.attribute("time", "0")
            try writer.element("system-out", text: "\(id): the matrix gives the customer no obligation; \(state.verdict.line)")
            try writer.endElement()
        }
        try writer.endElement()
    }

    /// One test case: its name, classname and the element inside it (none for a retired item).
    private struct TestCase: Sendable {
        var name: String
        var classname: String
        var element: (name: String, attributes: [(String, String)], text: String)?
    }

    private static func testCase(_ state: ItemState, checklist: String, parties: [String]) -> TestCase {
        let item = state.item
        var testCase = TestCase(name: "\(item.id) \(item.task)", classname: "\(checklist).\(item.id)")
        let letters = parties.filter { item.responsibility[$0] != nil }
            .map { "\($0) \(item.responsibility[$0]!.isEmpty ? "-" : item.responsibility[$0]!)" }.joined(separator: ", ")
        var details = ["\(item.id): \(item.task.visible)"]
        if !item.section.isEmpty { details.append("section: \(item.section.visible)") }
        details.append("responsibility: \(letters)")
        switch state.status {
        case .pending, .expired, .reconfirm, .broken:
            let (missing, fix) = state.attention(checklist: checklist)
            details.append("status: \(state.status.rawValue)")
            details.append("missing: \(missing.visible)")
            details.append("fix: \(fix.visible)")
            testCase.element = (state.status == .broken ? "error" : "failure",
                                [("message", "\(state.status.rawValue): \(missing)"), ("type", state.status.rawValue)],
                                details.joined(separator: "\n"))
        case .waived, .notApplicable:
            let message = skipMessage(state)
            details.append(message)
            testCase.element = ("skipped", [("message", message)], details.joined(separator: "\n"))
        case .complete:
            var lines = details + ["status: complete" + (state.expiresAt.map { ", valid through \(Timestamp.through($0))" } ?? "")]
            for evidence in state.validEvidence {
                var line = "evidence \(evidence.record.id) by \(evidence.record.by.visible) on \(Timestamp.human(evidence.record.recordedAt))"
                for attachment in evidence.evidence.attachments { line += ", \(attachment.name.visible) sha256 \(attachment.sha256)" }
                lines.append(line)
            }
            for evidence in state.futureEvidence {
                lines.append("evidence \(evidence.record.id) by \(evidence.record.by.visible): \(evidence.standingText.visible)")
            }
            testCase.element = ("system-out", [], lines.joined(separator: "\n"))
        case .retired:
            break
        }
        return testCase
    }

    static func isFailure(_ status: ItemStatus) -> Bool { status == .pending || status == .expired || status == .reconfirm }

    /// `waived until 2027-01-31 (approved by Jane): reason` or `not applicable (approved by Jane): reason`.
    static func skipMessage(_ state: ItemState) -> String {
        if case .waiver(let waiver)? = state.waiver?.body {
            return "waived through \(Timestamp.through(waiver.until)) (approved by \(waiver.approvedBy.visible), recorded by \(state.waiver!.by.visible)): \(waiver.reason.visible)"
        }
        if case .notApplicable(let body)? = state.notApplicable?.body {
            return "not applicable (approved by \(body.approvedBy.visible), recorded by \(state.notApplicable!.by.visible)): \(body.reason.visible)"
        }
        return "not applicable (by the source matrix): \(state.sourceNotApplicableReason.visible)"
    }
}
