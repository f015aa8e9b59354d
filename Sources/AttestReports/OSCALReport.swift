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
        var bytes: [UInt8] = []
        JSONValue.object(["assessment-results": document()]).write(into: &bytes, indent: 0)
        bytes.append(0x0A)
        return Data(bytes)
    }

    private var id: String { state.checklist.id }
    private var asOf: String { Timestamp.format(state.asOf) }

    func document() -> JSONValue {
        var resources = Resources(checklist: id)
        let checklistResource = resources.checklist(state)
        // Observations are most of the document (one per evidence record): rendered on every core, in order.
        let evidence = state.items.flatMap { item in item.evidence.map { (evidence: $0, item: item) } }
        for entry in evidence {
            for attachment in entry.evidence.evidence.attachments { _ = resources.attachment(attachment) }
            for reference in entry.evidence.evidence.references { _ = resources.reference(reference) }
        }
        let report = self, chunk = 512
        let observations = Parallel.map((evidence.count + chunk - 1) / chunk) { index -> [[UInt8]] in
            evidence[(index * chunk)..<min(evidence.count, (index + 1) * chunk)].map { entry in
                var bytes: [UInt8] = []
                report.observation(entry.evidence, item: entry.item).write(into: &bytes, indent: Self.observationIndent)
                return bytes
            }
        }.flatMap { $0 }
        // Integrity failures lead the observations: everything after them rests on the records they put in doubt.
        let integrity = state.integrityProblems.enumerated().map { index, problem -> [UInt8] in
            var bytes: [UInt8] = []
            integrityObservation(problem, number: index + 1).write(into: &bytes, indent: Self.observationIndent)
            return bytes
        }
        let risks = state.items.compactMap(risk)
        let findings = state.items.filter { $0.required && !$0.item.retired }.map(finding)

        var result: [String: JSONValue] = [
            "uuid": .string(UUIDv5.make(["result", id, asOf, state.digest])),
            "title": .string("Checklist \(id) as of \(asOf)"),
            "description": .string(integrityLead + "\(state.verdict.line). Evidence considered: records recorded at or before \(asOf)."),
            "start": .string(asOf),
            "end": .string(asOf),
            "props": props(headerFacts(["period", "policy", "digest"]) + [("verdict", state.verdict.word.lowercased())]
                + (state.integrityProblems.isEmpty ? [] : [("integrity-failures", String(state.integrityProblems.count))])),
            "reviewed-controls": .object(["control-selections": .array([.object(["include-all": .object([:])])])]),
        ]
        if !(integrity + observations).isEmpty { result["observations"] = .rendered(integrity + observations, indent: Self.observationIndent) }
        if !risks.isEmpty { result["risks"] = .array(risks) }
        if !findings.isEmpty { result["findings"] = .array(findings) }

        let metadata: [String: JSONValue] = [
            "title": .string("Assessment results: \(state.checklist.title) (\(id)) as of \(asOf)"),
            "last-modified": .string(asOf),
            "published": .string(asOf),
            "version": .string(asOf),
            "oscal-version": .string(Self.oscalVersion),
            "props": props(headerFacts(["generator", "digest"]) + [("checklist", id)]),
            "remarks": .string("Written by attest from the records of checklist \(id). \(state.verdict.line)."),
        ]
        return .object([
            "uuid": .string(UUIDv5.make(["assessment-results", id, asOf, state.digest])),
            "metadata": .object(metadata),
            "import-ap": .object([
                "href": .string("#\(checklistResource)"),
                "remarks": .string("attest keeps no assessment plan: the checklist imported from the provider's matrix stands for it."),
            ]),
            "results": .array([.object(result)]),
            "back-matter": .object(["resources": .array(resources.all)]),
        ])
    }

    // MARK: Parts

    /// `Integrity failures: 2 (the first observations name them). `, or nothing.
    private var integrityLead: String {
        let count = state.integrityProblems.count
        return count == 0 ? "" : "Integrity failures: \(count) (the first observations name them; attest verify lists them). "
    }

    /// One integrity failure that the checks before the report found, as an observation of its own.
    private func integrityObservation(_ problem: String, number: Int) -> JSONValue {
        .object([
            "uuid": .string(UUIDv5.make(["integrity", id, asOf, state.digest, String(number), problem])),
            "title": .string("Integrity failure \(number) of \(state.integrityProblems.count)"),
            "description": .string(problem),
            "props": props([("integrity-failure", problem)]),
            "methods": .array([.string("TEST")]),
            "types": .array([.string("finding")]),
            "collected": .string(asOf),
            "remarks": .string("Found by the checks attest report runs before writing (attest verify --checklist \(id) names every failure)."),
        ])
    }

    /// Where observations sit: assessment-results › results › [result] › observations › [here].
    static let observationIndent = 10

    private func observation(_ evidence: EvidenceState, item: ItemState) -> JSONValue {
        let record = evidence.record
        var relevant: [JSONValue] = []
        for attachment in evidence.evidence.attachments {
            let uuid = Resources.uuid(of: attachment, checklist: id)
            relevant.append(.object([
                "href": .string("#\(uuid)"),
                "description": .string("Attachment \(attachment.name), \(Wording.count(Int(attachment.size), "byte")), "
                    + "\(attachment.mediaType), SHA-256 \(attachment.sha256)"),
                "props": props([("sha256", attachment.sha256)]),
            ]))
        }
        for reference in evidence.evidence.references {
            let uuid = Resources.uuid(of: reference, checklist: id)
            relevant.append(.object([
                "href": .string("#\(uuid)"),
                "description": .string("Reference \(reference.url), SHA-256 \(reference.sha256) (kept elsewhere; not checked locally)"),
                "props": props([("sha256", reference.sha256)]),
            ]))
        }
        for link in evidence.evidence.links {
            relevant.append(.object(["href": .string(link), "description": .string("Link \(link)")]))
        }
        var properties: [(String, String)] = [
            ("item", item.item.id), ("record-id", record.id), ("recorded-by", record.by),
            ("standing", evidence.standing.rawValue), ("effective", Timestamp.format(evidence.evidence.effective)),
            ("signature", signature(record)),
        ]
        if evidence.standing == .notYetEffective { properties.append(("not-yet-effective", evidence.standingText)) }
        if let until = evidence.validUntil { properties.append(("valid-until", Timestamp.format(until))) }
        var remarks: [String] = ["Evidence is \(evidence.standingText)."]
        if let revocation = evidence.revocation, case .revocation(let body) = revocation.body {
            remarks.append("Revoked \(Timestamp.format(revocation.recordedAt)) by \(revocation.by): \(body.reason)")
        }
        if let review = evidence.review, case .review(let body) = review.body {
            remarks.append("\(body.decision == .accept ? "Accepted" : "Rejected") \(Timestamp.format(review.recordedAt)) by \(review.by)"
                + (body.comment.map { ": \($0)" } ?? ""))
        }
        var object: [String: JSONValue] = [
            "uuid": .string(UUIDv5.make(["observation", id, record.id])),
            "title": .string("Evidence \(record.id) for \(item.item.id)"),
            "description": .string(evidence.evidence.note ?? "Evidence for \(item.item.id): \(item.item.task)"),
            "props": props(properties),
            "methods": .array([.string("EXAMINE")]),
            "collected": .string(Self.instant(record.recordedAt) ?? asOf),
            "remarks": .string(remarks.joined(separator: "\n\n")),
        ]
        if evidence.standing != .valid { object["types"] = .array([.string("historic")]) }
        if !relevant.isEmpty { object["relevant-evidence"] = .array(relevant) }
        if let until = evidence.validUntil, let instant = Self.instant(until) { object["expires"] = .string(instant) }
        return .object(object)
    }

    /// A waiver or not-applicable mark in force, as an approved deviation.
    private func risk(_ item: ItemState) -> JSONValue? {
        guard let record = item.waiver ?? item.notApplicable else { return nil }
        let statement = JUnitReport.skipMessage(item)
        var approver = "", until: Date?
        switch record.body {
        case .waiver(let body): (approver, until) = (body.approvedBy, body.until)
        case .notApplicable(let body): approver = body.approvedBy
        default: return nil
        }
        var entry: [String: JSONValue] = [
            "uuid": .string(UUIDv5.make(["risk-log", id, record.id])),
            "title": .string("Approved by \(approver)"),
            "description": .string(statement),
            "start": .string(Self.instant(record.recordedAt) ?? asOf),
            "status-change": .string("deviation-approved"),
        ]
        var object: [String: JSONValue] = [
            "uuid": .string(UUIDv5.make(["risk", id, record.id])),
            "title": .string(record.type == .waiver ? "\(item.item.id) waived" : "\(item.item.id) not applicable"),
            "description": .string("\(item.item.id): \(item.item.task)"),
            "statement": .string(statement),
            "props": props([("item", item.item.id), ("record-id", record.id), ("approved-by", approver), ("recorded-by", record.by),
                            ("signature", signature(record))]
                + (until.map { [("until", Timestamp.format($0))] } ?? [])),
            "status": .string("deviation-approved"),
        ]
        if let until, let instant = Self.instant(until) {
            object["deadline"] = .string(instant)
            entry["end"] = .string(instant)
        }
        object["risk-log"] = .object(["entries": .array([.object(entry)])])
        return .object(object)
    }

    private func finding(_ item: ItemState) -> JSONValue {
        let satisfied = item.status.isSatisfied
        let reason: String
        switch item.status {
        case .complete: reason = "complete" + (item.expiresAt.map { ", valid through \(Timestamp.through($0))" } ?? "")
        case .waived, .notApplicable: reason = JUnitReport.skipMessage(item)
        default:
            let (missing, fix) = item.attention(checklist: id)
            reason = "\(item.status.rawValue): \(missing); fix: \(fix)"
        }
        var object: [String: JSONValue] = [
            "uuid": .string(UUIDv5.make(["finding", id, item.item.id])),
            "title": .string("\(item.item.id): \(item.item.task)"),
            "description": .string(reason),
            "props": props([("status", item.status.rawValue), ("kind", item.item.kind.rawValue),
                            ("customer-letters", item.item.customerLetters.isEmpty ? "-" : item.item.customerLetters)]),
            "target": .object([
                "type": .string("objective-id"),
                "target-id": .string(item.item.id),
                "title": .string(item.item.task.isEmpty ? item.item.id : item.item.task),
                "status": .object([
                    "state": .string(satisfied ? "satisfied" : "not-satisfied"),
                    "reason": .string(item.status.rawValue),
                    "remarks": .string(reason),
                ]),
            ]),
        ]
        let observations = item.evidence.map { JSONValue.object(["observation-uuid": .string(UUIDv5.make(["observation", id, $0.record.id]))]) }
        if !observations.isEmpty { object["related-observations"] = .array(observations) }
        if let record = item.waiver ?? item.notApplicable {
            object["related-risks"] = .array([.object(["risk-uuid": .string(UUIDv5.make(["risk", id, record.id]))])])
        }
        return .object(object)
    }

    // MARK: Helpers

    /// Who signed `record`, worded as in the markdown.
    private func signature(_ record: Record) -> String { (state.signatures[record.id] ?? .unsigned).description }

    /// The auditor's header facts of `groups` as props (`policy-reviewRequired`, `digest`), worded as in the
    /// markdown and the JUnit properties.
    private func headerFacts(_ groups: Set<String>) -> [(String, String)] {
        AuditHeader(state, generator: generator).facts.filter { groups.contains($0.group) }.map { fact in
            (fact.group == "digest" ? fact.key : "\(fact.group)-\(fact.key)", fact.value)
        }
    }

    /// attest's props, in its namespace; values folded onto one line (OSCAL strings have no line breaks).
    private func props(_ pairs: [(String, String)]) -> JSONValue {
        .array(pairs.map { name, value in
            .object(["name": .string(name), "ns": .string(Self.propertyNamespace), "value": .string(Self.oneLine(value))])
        })
    }

    /// Non-empty, no leading or trailing space, no line breaks or control characters.
    static func oneLine(_ text: String) -> String {
        // Most values (IDs, dates, hashes, addresses) are printable ASCII with single inner spaces.
        var previous: UInt8 = 0x20  // as if a space came before: a leading space is not plain
        var plain = !text.isEmpty
        for byte in text.utf8 {
            guard (0x21...0x7E).contains(byte) || (byte == 0x20 && previous != 0x20) else { plain = false; break }
            previous = byte
        }
        if plain && previous != 0x20 { return text }
        let words = text.unicodeScalars.split { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
            .map { String(String.UnicodeScalarView($0)) }
        return words.isEmpty ? "-" : words.joined(separator: " ")
    }

    /// An OSCAL date-time (its schema admits the years 1900–2999), or nil outside them.
    static func instant(_ date: Date) -> String? {
        let text = Timestamp.format(date)
        guard let year = Int(text.prefix(4)), (1900...2999).contains(year) else { return nil }
        return text
    }

    /// Back-matter resources, each once, in order of first use.
    private struct Resources {
        let checklist: String
        var all: [JSONValue] = []
        var seen: Set<String> = []

        init(checklist: String) { self.checklist = checklist }

        mutating func checklist(_ state: ChecklistState) -> String {
            let audit = AuditHeader(state, generator: nil)
            let header = audit.scope
            let uuid = UUIDv5.make(["checklist", checklist, header.sourceSHA256])
            var rlinks: [JSONValue] = [.object([
                "href": .string("Checklists/\(checklist)/\(header.sourceFile)"),
                "hashes": .array([.object(["algorithm": .string("SHA-256"), "value": .string(header.sourceSHA256)])]),
            ])]
            if let url = header.originURL {
                rlinks.append(.object(["href": .string(url),
                                       "hashes": .array([.object(["algorithm": .string("SHA-256"), "value": .string(header.sourceSHA256)])])]))
            }
            let facts = audit.facts.filter { $0.group == "scope" }  // worded as in the markdown's Scope
            add(uuid, [
                "uuid": .string(uuid),
                "title": .string("Checklist \(checklist): \(header.title)"),
                "description": .string("The customer's obligations, imported by attest from the shared-responsibility matrix "
                    + "\(header.importedFrom) (SHA-256 \(header.sourceSHA256)); it stands for the assessment plan. "
                    + "Paths are relative to the workspace root."),
                "props": .array(facts.map { fact in
                    .object(["name": .string(fact.key.replacingOccurrences(of: ".", with: "-")), "ns": .string(OSCALReport.propertyNamespace),
                             "value": .string(OSCALReport.oneLine(fact.value))])
                }),
                "rlinks": .array(rlinks),
            ])
            return uuid
        }

        static func uuid(of attachment: Attachment, checklist: String) -> String {
            UUIDv5.make(["attachment", checklist, attachment.sha256])
        }

        static func uuid(of reference: ExternalReference, checklist: String) -> String {
            UUIDv5.make(["reference", checklist, reference.url, reference.sha256])
        }

        mutating func attachment(_ attachment: Attachment) -> String {
            let uuid = Self.uuid(of: attachment, checklist: checklist)
            guard !seen.contains(uuid) else { return uuid }
            add(uuid, [
                "uuid": .string(uuid),
                "title": .string(attachment.name),
                "description": .string("Attachment \(attachment.name), \(Wording.count(Int(attachment.size), "byte")), stored by its "
                    + "SHA-256 in the checklist's attachment store (path relative to the workspace root)."),
                "rlinks": .array([.object([
                    "href": .string("Checklists/\(checklist)/attachments/sha256/\(attachment.sha256.prefix(2))/\(attachment.sha256)"),
                    "media-type": .string(attachment.mediaType),
                    "hashes": .array([.object(["algorithm": .string("SHA-256"), "value": .string(attachment.sha256)])]),
                ])]),
            ])
            return uuid
        }

        mutating func reference(_ reference: ExternalReference) -> String {
            let uuid = Self.uuid(of: reference, checklist: checklist)
            guard !seen.contains(uuid) else { return uuid }
            add(uuid, [
                "uuid": .string(uuid),
                "title": .string(reference.url),
                "description": .string("A file kept elsewhere, recorded by URL and SHA-256; not checked locally."),
                "rlinks": .array([.object([
                    "href": .string(reference.url),
                    "hashes": .array([.object(["algorithm": .string("SHA-256"), "value": .string(reference.sha256)])]),
                ])]),
            ])
            return uuid
        }

        private mutating func add(_ uuid: String, _ object: [String: JSONValue]) {
            guard seen.insert(uuid).inserted else { return }
            all.append(.object(object))
        }
    }
}

/// A JSON value, written pretty-printed with keys sorted by their UTF-8 bytes (a report of 10^5 observations
/// is written in one pass, without JSONEncoder's intermediate containers).
enum JSONValue: Sendable {
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// An array whose items were written already, each at `indent` (the array's own indent + 2).
    case rendered([[UInt8]], indent: Int)

    func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .string(let value):
            Self.write(string: value, into: &out)
        case .array(let values):
            guard !values.isEmpty else { return out.append(contentsOf: "[]".utf8) }
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                Self.newLine(into: &out, comma: index > 0, indent: indent + 2)
                value.write(into: &out, indent: indent + 2)
            }
            Self.newLine(into: &out, comma: false, indent: indent)
            out.append(UInt8(ascii: "]"))
        case .rendered(let items, let itemIndent):
            precondition(itemIndent == indent + 2, "items rendered at \(itemIndent) for an array at \(indent)")
            guard !items.isEmpty else { return out.append(contentsOf: "[]".utf8) }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                Self.newLine(into: &out, comma: index > 0, indent: itemIndent)
                out.append(contentsOf: item)
            }
            Self.newLine(into: &out, comma: false, indent: indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return out.append(contentsOf: "{}".utf8) }
            out.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                Self.newLine(into: &out, comma: index > 0, indent: indent + 2)
                Self.write(string: member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                out.append(0x20)
                member.value.write(into: &out, indent: indent + 2)
            }
            Self.newLine(into: &out, comma: false, indent: indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newLine(into out: inout [UInt8], comma: Bool, indent: Int) {
        if comma { out.append(UInt8(ascii: ",")) }
        out.append(0x0A)
        for _ in 0..<indent { out.append(0x20) }
    }

    /// A JSON string, escaped as records are.
    static func write(string: String, into out: inout [UInt8]) { JSONString.append(string, to: &out) }
}
