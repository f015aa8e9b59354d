public import AttestCore
public import Foundation

/// OSCAL 1.1.3 Assessment Results for one checklist at its as-of: one result; a finding per required,
/// unretired item; an observation per evidence record recorded at or before the as-of; waivers and
/// not-applicable marks in force as risks (`deviation-approved`); the checklist and its source, and every
/// attachment, as back-matter resources with their SHA-256. UUIDs are version 5 (`UUIDv5`) and keys are
/// sorted, so the same state and as-of give the same bytes (the generator props aside).
public struct OSCALReport: Sendable {
    public static let oscalVersion = "1.1.3"
    /// The namespace of attest's own props: an identifier, never fetched. OSCAL's schema admits any URI but
    /// compliance-trestle wants a URL with a host; `.invalid` (RFC 2606) can name nobody else's.
    public static let propertyNamespace = "https://attest.invalid/ns/oscal"

    public var state: ChecklistState
    public var generator: ReportGenerator?

    public init(state: ChecklistState, generator: ReportGenerator? = nil) {
        self.state = state
        self.generator = generator
    }

    /// The document, pretty-printed with sorted keys and a final newline.
    public func render() -> Data {
        let output = ReportOutput()
        write(to: output)
        return Data(output.memory)
    }

    /// Streams the document to `path` (a temporary file; `ReportWriter` renames it into place).
    func write(toFile path: String, displayPath: String) throws {
        let output = try ReportOutput(creating: path, displayPath: displayPath)
        write(to: output)
        try output.finish()
    }

    private var id: String { state.checklist.id }
    private var asOf: String { Timestamp.format(state.asOf) }

    /// One evidence record and the item it is for (observations are one per evidence record).
    private typealias Entry = (evidence: EvidenceState, item: String, task: String)

    private func write(to output: ReportOutput) {
        let evidence: [Entry] = state.items.flatMap { item in item.evidence.map { (evidence: $0, item: item.item.id, task: item.item.task) } }
        // Each observation's UUID is written twice (the observation, its finding): derived once, on every core.
        let runs = Parallel.ranges(evidence.count, size: 1024)
        let observationUUIDs = Parallel.map(runs.count) { [id] run in
            evidence[runs[run]].map { UUIDv5.make(["observation", id, $0.evidence.record.id]) }
        }.flatMap { $0 }
        let resources = Resources(state, evidence: evidence.map(\.evidence))
        let risks = state.items.filter { risk(of: $0) != nil }
        let findings = state.items.indices.filter { state.items[$0].required && !state.items[$0].item.retired }
        // Where each item's observations start among all of them.
        let firstObservation = state.items.reduce(into: [0]) { starts, item in starts.append(starts.last! + item.evidence.count) }
        let report = self, asOf = asOf, id = id, integrity = state.integrityProblems

        var json = PrettyJSON()
        json.object { json in
            json.member("assessment-results", object: { json in
                json.member("back-matter", object: { json in
                    json.member("resources", array: { json in
                        json.elements(resources.count, to: output) { index, json in resources.write(index, into: &json) }
                    })
                })
                json.member("import-ap", object: { json in
                    json.member("href", "#\(resources.checklistUUID)")
                    json.member("remarks", "attest keeps no assessment plan: the checklist imported from the provider's matrix stands for it.")
                })
                json.member("metadata", object: { json in
                    json.member("last-modified", asOf)
                    json.member("oscal-version", Self.oscalVersion)
                    json.key("props")
                    Self.props(report.headerFacts(["generator", "digest"]) + [("checklist", id)], into: &json)
                    json.member("published", asOf)
                    json.member("remarks", "Written by attest from the records of checklist \(id). \(report.state.verdict.line).")
                    json.member("title", "Assessment results: \(report.state.checklist.title) (\(id)) as of \(asOf)")
                    json.member("version", asOf)
                })
                json.member("results", array: { json in
                    json.object { json in
                        json.member("description", report.integrityLead
                            + "\(report.state.verdict.line). Evidence considered: records recorded at or before \(asOf).")
                        json.member("end", asOf)
                        if !findings.isEmpty {
                            json.member("findings", array: { json in
                                json.elements(findings.count, to: output, chunk: 16) { index, json in
                                    let item = findings[index]
                                    report.finding(report.state.items[item], observations: observationUUIDs[firstObservation[item]..<firstObservation[item + 1]],
                                                   into: &json)
                                }
                            })
                        }
                        if !(integrity.isEmpty && evidence.isEmpty) {
                            json.member("observations", array: { json in
                                // Integrity failures lead: everything after them rests on the records they put in doubt.
                                for (index, problem) in integrity.enumerated() {
                                    report.integrityObservation(problem, number: index + 1, into: &json)
                                }
                                json.elements(evidence.count, to: output) { index, json in
                                    report.observation(evidence[index], uuid: observationUUIDs[index], resources: resources, into: &json)
                                }
                            })
                        }
                        json.key("props")
                        Self.props(report.headerFacts(["period", "policy", "digest"]) + [("verdict", report.state.verdict.word.lowercased())]
                            + (integrity.isEmpty ? [] : [("integrity-failures", String(integrity.count))]), into: &json)
                        json.member("reviewed-controls", object: { json in
                            json.member("control-selections", array: { json in
                                json.object { json in json.member("include-all", object: { _ in }) }
                            })
                        })
                        if !risks.isEmpty {
                            json.member("risks", array: { json in
                                for item in risks { report.risk(item, into: &json) }
                            })
                        }
                        json.member("start", asOf)
                        json.member("title", "Checklist \(id) as of \(asOf)")
                        json.member("uuid", UUIDv5.make(["result", id, asOf, report.state.digest]))
                    }
                })
                json.member("uuid", UUIDv5.make(["assessment-results", id, asOf, report.state.digest]))
            })
        }
        var bytes = json.bytes
        bytes.append(0x0A)
        output.write(bytes)
    }

    // MARK: Parts

    /// `Integrity failures: 2 (the first observations name them). `, or nothing.
    private var integrityLead: String {
        let count = state.integrityProblems.count
        return count == 0 ? "" : "Integrity failures: \(count) (the first observations name them; attest verify lists them). "
    }

    /// One integrity failure that the checks before the report found, as an observation of its own.
    private func integrityObservation(_ problem: String, number: Int, into json: inout PrettyJSON) {
        json.object { json in
            json.member("collected", asOf)
            json.member("description", problem)
            json.member("methods", array: { json in json.string("TEST") })
            json.key("props")
            Self.props([("integrity-failure", problem)], into: &json)
            json.member("remarks", "Found by the checks attest report runs before writing (attest verify --checklist \(id) names every failure).")
            json.member("title", "Integrity failure \(number) of \(state.integrityProblems.count)")
            json.member("types", array: { json in json.string("finding") })
            json.member("uuid", UUIDv5.make(["integrity", id, asOf, state.digest, String(number), problem]))
        }
    }

    /// One evidence record. The most frequent part of the document (10^5 of them at scale): its strings
    /// are written in pieces, without composing them first.
    private func observation(_ entry: Entry, uuid: String, resources: Resources, into json: inout PrettyJSON) {
        // Fields are read where they are (no copies of the record, its evidence or the item: 10^5 of each).
        let (evidence, itemID, task) = entry
        json.object { json in
            json.key("collected")
            instant(evidence.record.recordedAt, into: &json)
            json.key("description")
            if let note = evidence.evidence.note {
                json.string(note)
            } else {
                json.string { json in json.text("Evidence for "); json.text(itemID); json.text(": "); json.text(task) }
            }
            if let until = evidence.validUntil, Self.isInstant(until) { json.key("expires"); json.string { $0.text(until) } }
            json.member("methods", array: { json in json.string("EXAMINE") })
            json.member("props", array: { json in
                json.prop("item", itemID)
                json.prop("record-id", evidence.record.id)
                json.prop("recorded-by", evidence.record.by)
                json.prop("standing", evidence.standing.rawValue)
                json.prop("effective", evidence.evidence.effective)
                json.prop("signature", signature(evidence.record.id))
                if evidence.standing == .notYetEffective { json.prop("not-yet-effective", evidence.standingText) }
                if let until = evidence.validUntil { json.prop("valid-until", until) }
            })
            if !(evidence.evidence.attachments.isEmpty && evidence.evidence.references.isEmpty && evidence.evidence.links.isEmpty) {
                json.member("relevant-evidence", array: { json in
                    for attachment in evidence.evidence.attachments {
                        json.object { json in
                            json.key("description")
                            json.string { json in
                                json.text("Attachment "); json.text(attachment.name); json.text(", "); json.text(Int(attachment.size))
                                json.text(attachment.size == 1 ? " byte, " : " bytes, "); json.text(attachment.mediaType)
                                json.text(", SHA-256 "); json.text(attachment.sha256)
                            }
                            json.key("href")
                            json.string { json in json.text("#"); json.text(resources.uuid(of: attachment)) }
                            json.member("props", array: { json in json.prop("sha256", attachment.sha256) })
                        }
                    }
                    for reference in evidence.evidence.references {
                        json.object { json in
                            json.member("description", "Reference \(reference.url), SHA-256 \(reference.sha256) (kept elsewhere; not checked locally)")
                            json.member("href", "#" + resources.uuid(of: reference))
                            json.member("props", array: { json in json.prop("sha256", reference.sha256) })
                        }
                    }
                    for link in evidence.evidence.links {
                        json.object { json in
                            json.key("description")
                            json.string { json in json.text("Link "); json.text(link) }
                            json.member("href", link)
                        }
                    }
                })
            }
            json.key("remarks")
            json.string { json in
                json.text("Evidence is "); json.text(evidence.standingText); json.text(".")
                if let revocation = evidence.revocation, case .revocation(let body) = revocation.body {
                    json.text("\n\nRevoked "); json.text(revocation.recordedAt); json.text(" by "); json.text(revocation.by)
                    json.text(": "); json.text(body.reason)
                }
                if let review = evidence.review, case .review(let body) = review.body {
                    json.text(body.decision == .accept ? "\n\nAccepted " : "\n\nRejected "); json.text(review.recordedAt)
                    json.text(" by "); json.text(review.by)
                    if let comment = body.comment { json.text(": "); json.text(comment) }
                }
            }
            json.key("title")
            json.string { json in json.text("Evidence "); json.text(evidence.record.id); json.text(" for "); json.text(itemID) }
            if evidence.standing != .valid { json.member("types", array: { json in json.string("historic") }) }
            json.member("uuid", uuid)
        }
    }

    /// An OSCAL date-time, or the as-of for an instant outside the years its schema admits.
    private func instant(_ date: Date, into json: inout PrettyJSON) {
        if Self.isInstant(date) { json.string { $0.text(date) } } else { json.string(asOf) }
    }

    /// The record of a waiver or not-applicable mark in force, its approver and expiry.
    private func risk(of item: ItemState) -> (record: Record, approver: String, until: Date?)? {
        guard let record = item.waiver ?? item.notApplicable else { return nil }
        switch record.body {
        case .waiver(let body): return (record, body.approvedBy, body.until)
        case .notApplicable(let body): return (record, body.approvedBy, nil)
        default: return nil
        }
    }

    /// A waiver or not-applicable mark in force, as an approved deviation.
    private func risk(_ item: ItemState, into json: inout PrettyJSON) {
        guard let (record, approver, until) = risk(of: item) else { return }
        let statement = JUnitReport.skipMessage(item)
        let deadline = until.flatMap(Self.instant)
        json.object { json in
            if let deadline { json.member("deadline", deadline) }
            json.member("description", "\(item.item.id): \(item.item.task)")
            json.key("props")
            Self.props([("item", item.item.id), ("record-id", record.id), ("approved-by", approver), ("recorded-by", record.by),
                   ("signature", signature(record))] + (until.map { [("until", Timestamp.format($0))] } ?? []), into: &json)
            json.member("risk-log", object: { json in
                json.member("entries", array: { json in
                    json.object { json in
                        json.member("description", statement)
                        if let deadline { json.member("end", deadline) }
                        json.member("start", Self.instant(record.recordedAt) ?? asOf)
                        json.member("status-change", "deviation-approved")
                        json.member("title", "Approved by \(approver)")
                        json.member("uuid", UUIDv5.make(["risk-log", id, record.id]))
                    }
                })
            })
            json.member("statement", statement)
            json.member("status", "deviation-approved")
            json.member("title", record.type == .waiver ? "\(item.item.id) waived" : "\(item.item.id) not applicable")
            json.member("uuid", UUIDv5.make(["risk", id, record.id]))
        }
    }

    private func finding(_ item: ItemState, observations: ArraySlice<String>, into json: inout PrettyJSON) {
        let satisfied = item.status.isSatisfied
        let reason: String
        switch item.status {
        case .complete: reason = "complete" + (item.expiresAt.map { ", valid through \(Timestamp.through($0))" } ?? "")
        case .waived, .notApplicable: reason = JUnitReport.skipMessage(item)
        default:
            let (missing, fix) = item.attention(checklist: id)
            reason = "\(item.status.rawValue): \(missing); fix: \(fix)"
        }
        json.object { json in
            json.member("description", reason)
            json.member("props", array: { json in
                json.prop("status", item.status.rawValue)
                json.prop("kind", item.item.kind.rawValue)
                json.prop("customer-letters", item.item.customerLetters.isEmpty ? "-" : item.item.customerLetters)
            })
            if !observations.isEmpty {
                json.member("related-observations", array: { json in
                    for uuid in observations { json.object { json in json.member("observation-uuid", uuid) } }
                })
            }
            if let record = item.waiver ?? item.notApplicable {
                json.member("related-risks", array: { json in
                    json.object { json in json.member("risk-uuid", UUIDv5.make(["risk", id, record.id])) }
                })
            }
            json.member("target", object: { json in
                json.member("status", object: { json in
                    json.member("reason", item.status.rawValue)
                    json.member("remarks", reason)
                    json.member("state", satisfied ? "satisfied" : "not-satisfied")
                })
                json.member("target-id", item.item.id)
                json.member("title", item.item.task.isEmpty ? item.item.id : item.item.task)
                json.member("type", "objective-id")
            })
            json.member("title", "\(item.item.id): \(item.item.task)")
            json.member("uuid", UUIDv5.make(["finding", id, item.item.id]))
        }
    }

    // MARK: Helpers

    /// Who signed `record`, worded as in the markdown.
    private func signature(_ record: Record) -> String { signature(record.id) }

    private func signature(_ recordID: String) -> String { (state.signatures[recordID] ?? .unsigned).description }

    /// The auditor's header facts of `groups` as props (`policy-reviewRequired`, `digest`), worded as in the
    /// markdown and the JUnit properties.
    private func headerFacts(_ groups: Set<String>) -> [(String, String)] {
        AuditHeader(state, generator: generator).facts.filter { groups.contains($0.group) }.map { fact in
            (fact.group == "digest" ? fact.key : "\(fact.group)-\(fact.key)", fact.value)
        }
    }

    /// attest's props, in its namespace; values folded onto one line (OSCAL strings have no line breaks).
    fileprivate static func props(_ pairs: [(String, String)], into json: inout PrettyJSON) {
        json.array { json in
            for (name, value) in pairs { json.prop(name, value) }
        }
    }

    /// Non-empty, no leading or trailing space, no line breaks or control characters.
    static func oneLine(_ text: String) -> String {
        // Most values (IDs, dates, hashes, addresses) are printable ASCII with single inner spaces.
        let plain = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            var previous: UInt8 = 0x20  // as if a space came before: a leading space is not plain
            for byte in utf8 {
                guard (0x21...0x7E).contains(byte) || (byte == 0x20 && previous != 0x20) else { return false }
                previous = byte
            }
            return !utf8.isEmpty && previous != 0x20
        }
        if plain == true { return text }
        let words = text.unicodeScalars.split { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
            .map { String(String.UnicodeScalarView($0)) }
        return words.isEmpty ? "-" : words.joined(separator: " ")
    }

    /// An OSCAL date-time (its schema admits the years 1900–2999), or nil outside them.
    static func instant(_ date: Date) -> String? {
        isInstant(date) ? Timestamp.format(date) : nil
    }

    /// Whether `date`, to the millisecond as `Timestamp.format` writes it, falls in the years 1900–2999.
    static func isInstant(_ date: Date) -> Bool {
        let millis = (date.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero)
        return millis >= -2_208_988_800_000 && millis < 32_503_680_000_000
    }

    /// Back-matter resources, each once, in order of first use: the checklist (standing for the assessment
    /// plan), then every attachment and external reference the evidence names.
    private struct Resources: Sendable {
        let checklist: String
        let checklistUUID: String
        private let state: ChecklistState
        private enum Resource: Sendable { case checklist, attachment(Attachment), reference(ExternalReference) }
        private var all: [Resource] = [.checklist]
        /// Each attachment's UUID by its SHA-256; each reference's by its URL and SHA-256.
        private var attachmentUUIDs: [String: String] = [:]
        private var referenceUUIDs: [[String]: String] = [:]

        var count: Int { all.count }

        init(_ state: ChecklistState, evidence: [EvidenceState]) {
            self.state = state
            checklist = state.checklist.id
            checklistUUID = UUIDv5.make(["checklist", checklist, AuditHeader(state, generator: nil).scope.sourceSHA256])
            for entry in evidence {
                for attachment in entry.evidence.attachments where attachmentUUIDs[attachment.sha256] == nil {
                    attachmentUUIDs[attachment.sha256] = UUIDv5.make(["attachment", checklist, attachment.sha256])
                    all.append(.attachment(attachment))
                }
                for reference in entry.evidence.references where referenceUUIDs[[reference.url, reference.sha256]] == nil {
                    referenceUUIDs[[reference.url, reference.sha256]] = UUIDv5.make(["reference", checklist, reference.url, reference.sha256])
                    all.append(.reference(reference))
                }
            }
        }

        func uuid(of attachment: Attachment) -> String { attachmentUUIDs[attachment.sha256]! }
        func uuid(of reference: ExternalReference) -> String { referenceUUIDs[[reference.url, reference.sha256]]! }

        func write(_ index: Int, into json: inout PrettyJSON) {
            switch all[index] {
            case .checklist: writeChecklist(into: &json)
            case .attachment(let attachment): write(attachment, into: &json)
            case .reference(let reference): write(reference, into: &json)
            }
        }

        private func writeChecklist(into json: inout PrettyJSON) {
            let audit = AuditHeader(state, generator: nil)
            let header = audit.scope
            json.object { json in
                json.member("description", "The customer's obligations, imported by attest from the shared-responsibility matrix "
                    + "\(header.importedFrom) (SHA-256 \(header.sourceSHA256)); it stands for the assessment plan. "
                    + "Paths are relative to the workspace root.")
                json.key("props")  // worded as in the markdown's Scope
                OSCALReport.props(audit.facts.filter { $0.group == "scope" }.map { ($0.key.replacingOccurrences(of: ".", with: "-"), $0.value) },
                                  into: &json)
                json.member("rlinks", array: { json in
                    Self.rlink("Checklists/\(checklist)/\(header.sourceFile)", sha256: header.sourceSHA256, into: &json)
                    if let url = header.originURL { Self.rlink(url, sha256: header.sourceSHA256, into: &json) }
                })
                json.member("title", "Checklist \(checklist): \(header.title)")
                json.member("uuid", checklistUUID)
            }
        }

        private func write(_ attachment: Attachment, into json: inout PrettyJSON) {
            json.object { json in
                json.member("description", "Attachment \(attachment.name), \(Wording.count(Int(attachment.size), "byte")), stored by its "
                    + "SHA-256 in the checklist's attachment store (path relative to the workspace root).")
                json.member("rlinks", array: { json in
                    Self.rlink("Checklists/\(checklist)/attachments/sha256/\(attachment.sha256.prefix(2))/\(attachment.sha256)",
                               sha256: attachment.sha256, mediaType: attachment.mediaType, into: &json)
                })
                json.member("title", attachment.name)
                json.member("uuid", uuid(of: attachment))
            }
        }

        private func write(_ reference: ExternalReference, into json: inout PrettyJSON) {
            json.object { json in
                json.member("description", "A file kept elsewhere, recorded by URL and SHA-256; not checked locally.")
                json.member("rlinks", array: { json in Self.rlink(reference.url, sha256: reference.sha256, into: &json) })
                json.member("title", reference.url)
                json.member("uuid", uuid(of: reference))
            }
        }

        private static func rlink(_ href: String, sha256: String, mediaType: String? = nil, into json: inout PrettyJSON) {
            json.object { json in
                json.member("hashes", array: { json in
                    json.object { json in
                        json.member("algorithm", "SHA-256")
                        json.member("value", sha256)
                    }
                })
                json.member("href", href)
                if let mediaType { json.member("media-type", mediaType) }
            }
        }
    }
}
