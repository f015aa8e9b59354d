public import AttestCore
public import Foundation

/// The JUnit XML report: a flat `testsuites` root, one `testsuite` per checklist, one `testcase` per
/// required, unretired item. Streamed to disk through libxml2's writer.
public struct JUnitReport: Sendable {
    public var states: [ChecklistState]

    public init(states: [ChecklistState]) { self.states = states }

    /// Writes the report to `url` atomically (temporary file, then rename).
    public func write(to url: URL, displayPath: String) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.writeFailed(path: displayPath, detail: error.localizedDescription)
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: .min ... .max)).tmp")
        do {
            let writer = try XMLStreamWriter(path: temporary.path, displayPath: displayPath)
            try write(with: writer)
            try writer.finish()
            guard rename(temporary.path, url.path) == 0 else {
                throw ReportError.writeFailed(path: displayPath, detail: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    private func write(with writer: XMLStreamWriter) throws {
        let cases = states.map { state in state.items.filter { $0.required } }
        func total(_ predicate: (ItemState) -> Bool) -> Int { cases.joined().filter(predicate).count }
        try writer.startDocument()
        try writer.startElement("testsuites")
        try writer.attribute("name", "attest")
        try writer.attribute("tests", String(total { _ in true }))
        try writer.attribute("failures", String(total { Self.isFailure($0.status) }))
        try writer.attribute("errors", String(total { $0.status == .broken }))
        try writer.attribute("skipped", String(total { $0.status == .waived || $0.status == .notApplicable }))
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
        try writer.attribute("tests", String(items.count))
        try writer.attribute("failures", String(items.filter { Self.isFailure($0.status) }.count))
        try writer.attribute("errors", String(items.filter { $0.status == .broken }.count))
        try writer.attribute("skipped", String(items.filter { $0.status == .waived || $0.status == .notApplicable }.count))
        try writer.attribute("time", "0")
        try writer.attribute("timestamp", Timestamp.formatSeconds(state.asOf))
        try writer.startElement("properties")
        for (name, value) in [
            ("attest.checklist", id),
            ("attest.asOf", Timestamp.format(state.asOf)),
            ("attest.digest", state.digest),
            ("attest.source", state.source.importedFrom),
            ("attest.source.sha256", state.source.sha256),
            ("attest.verdict", state.passes ? "pass" : "fail"),
        ] {
            try writer.startElement("property")
            try writer.attribute("name", name)
            try writer.attribute("value", value)
            try writer.endElement()
        }
        try writer.endElement()
        for item in items {
            try writeCase(item, checklist: id, parties: state.parties, with: writer)
        }
        try writer.endElement()
    }

    private func writeCase(_ state: ItemState, checklist: String, parties: [String], with writer: XMLStreamWriter) throws {
        let item = state.item
        try writer.startElement("testcase")
        try writer.attribute("name", "\(item.id) \(item.task)")
        try writer.attribute("classname", "\(checklist).\(item.id)")
        try writer.attribute("time", "0")
        let letters = parties.filter { item.responsibility[$0] != nil }
            .map { "\($0) \(item.responsibility[$0]!.isEmpty ? "-" : item.responsibility[$0]!)" }.joined(separator: ", ")
        var details = ["\(item.id): \(item.task)"]
        if !item.section.isEmpty { details.append("section: \(item.section)") }
        details.append("responsibility: \(letters)")
        switch state.status {
        case .pending, .expired, .reconfirm, .broken:
            let (missing, fix) = state.explanation(checklist: checklist)
            details.append("status: \(state.status.rawValue)")
            details.append("missing: \(missing)")
            details.append("fix: \(fix)")
            try writer.element(state.status == .broken ? "error" : "failure",
                               attributes: [("message", "\(state.status.rawValue): \(missing)"), ("type", state.status.rawValue)],
                               text: details.joined(separator: "\n"))
        case .waived, .notApplicable:
            let message = Self.skipMessage(state)
            details.append(message)
            try writer.element("skipped", attributes: [("message", message)], text: details.joined(separator: "\n"))
        case .complete:
            var lines = details + ["status: complete" + (state.expiresAt.map { ", valid through \(Timestamp.through($0))" } ?? "")]
            for evidence in state.validEvidence {
                lines.append("evidence \(evidence.record.id) by \(evidence.record.by) on \(Timestamp.human(evidence.record.recordedAt))"
                    + evidence.evidence.attachments.map { ", \($0.name) sha256 \($0.sha256)" }.joined())
            }
            try writer.element("system-out", text: lines.joined(separator: "\n"))
        case .retired:
            break
        }
        try writer.endElement()
    }

    static func isFailure(_ status: ItemStatus) -> Bool { status == .pending || status == .expired || status == .reconfirm }

    /// `waived until 2027-01-31 (approved by Jane): reason` or `not applicable (approved by Jane): reason`.
    static func skipMessage(_ state: ItemState) -> String {
        if case .waiver(let waiver)? = state.waiver?.body {
            return "waived through \(Timestamp.through(waiver.until)) (approved by \(waiver.approvedBy), recorded by \(state.waiver!.by)): \(waiver.reason)"
        }
        if case .notApplicable(let body)? = state.notApplicable?.body {
            return "not applicable (approved by \(body.approvedBy), recorded by \(state.notApplicable!.by)): \(body.reason)"
        }
        return "not applicable (by the source matrix): \(state.sourceNotApplicableReason)"
    }
}
