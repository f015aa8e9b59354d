import AttestCore
import Foundation

/// Reads an OSCAL System Security Plan (JSON, OSCAL 1.0 and 1.1) as a responsibility matrix: what the
/// leveraged system exports to its customers.
///
/// Every `export.responsibilities[]` entry of a `by-components[]` (of a statement, or of the implemented
/// requirement itself) is an obligation when its responsible roles include the customer role or name none,
/// `informed` when they name only other roles; every `export.provided[]` entry is `inherited`. Task: the
/// description's first sentence; the whole description is the item's note; section: control ID as NIST
/// displays it, the statement's part and the component's title. Rows match across re-imports by UUID.
struct OSCALReader {
    /// The customer's role-id (`--party`); `customer` by default.
    var party: String?
    var provider: String?

    /// A `.json` file, or bytes that open a JSON object naming `system-security-plan`.
    static func isOSCAL(data: Data, fileName: String) -> Bool {
        if fileName.lowercased().hasSuffix(".json") { return true }
        var bytes = data.prefix(4096)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard bytes.drop(while: { [0x20, 0x09, 0x0A, 0x0D].contains($0) }).first == UInt8(ascii: "{") else { return false }
        return data.prefix(1 << 20).firstRange(of: Array("\"system-security-plan\"".utf8)) != nil
    }

    func read(data: Data, path: String) throws -> ParsedMatrix {
        let root: BoundedJSON
        do {
            root = try BoundedJSON.parse(data)
        } catch {
            throw ImportError.invalidJSON(path: path, line: error.line, column: error.column, detail: error.detail)
        }
        guard root.isObject else { throw ImportError.notSSP(path: path, found: "the JSON is not an object") }
        guard let ssp = root["system-security-plan"] else {
            let models = ["component-definition", "catalog", "profile", "assessment-plan", "assessment-results",
                          "plan-of-action-and-milestones", "mapping-collection"]
            if let model = models.first(where: { root[$0] != nil }) {
                throw ImportError.notSSP(path: path, found: "the file is an OSCAL \(model)")
            }
            throw ImportError.notSSP(path: path, found: "the JSON object has no OSCAL model")
        }
        var context = Context(path: path)
        guard ssp.isObject else { throw context.invalid(ssp, "$.system-security-plan", "must be an object") }
        let metadata = ssp["metadata"]
        if let version = metadata?["oscal-version"]?.string, !(version.hasPrefix("1.0") || version.hasPrefix("1.1")) {
            throw context.invalid(metadata?["oscal-version"] ?? ssp, "$.system-security-plan.metadata.oscal-version",
                                  "OSCAL \(version) is not read by this attest (1.0 and 1.1 are); export the SSP as OSCAL 1.1")
        }
        let roles = (metadata?["roles"]?.array ?? []).compactMap { $0["id"]?.string }
        let customer = party ?? "customer"
        context.customer = customer

        var components: [String: String] = [:]
        for component in ssp["system-implementation"]?["components"]?.array ?? [] {
            if let uuid = component["uuid"]?.string { components[uuid] = component["title"]?.string ?? uuid }
        }
        context.components = components

        let requirementsPath = "$.system-security-plan.control-implementation.implemented-requirements"
        for (index, requirement) in (ssp["control-implementation"]?["implemented-requirements"]?.array ?? []).enumerated() {
            let here = "\(requirementsPath)[\(index)]"
            guard let controlID = requirement["control-id"]?.string, !controlID.isEmpty, controlID != "." else {
                throw context.invalid(requirement, here, "has no control-id; add the control it implements (e.g. \"ac-2\")")
            }
            let control = Self.displayedControl(controlID)
            for (position, byComponent) in (requirement["by-components"]?.array ?? []).enumerated() {
                try context.read(byComponent, at: "\(here).by-components[\(position)]", section: control)
            }
            for (statementIndex, statement) in (requirement["statements"]?.array ?? []).enumerated() {
                let statementPath = "\(here).statements[\(statementIndex)]"
                let part = statement["statement-id"]?.string.flatMap(Self.partLabel)
                let section = part.map { "\(control) \($0)" } ?? control
                for (position, byComponent) in (statement["by-components"]?.array ?? []).enumerated() {
                    try context.read(byComponent, at: "\(statementPath).by-components[\(position)]", section: section)
                }
            }
        }
        // Nothing exported is the first thing to say (an SSP without exports has no customer role to check).
        guard !context.rows.isEmpty else { throw ImportError.noExport(path: path) }
        guard roles.contains(customer) else { throw ImportError.unknownRole(path: path, role: customer, roles: roles) }
        for row in context.rows {
            if let provided = row.inherits, !context.provided.contains(provided) {
                context.warnings.append("\(path):\(row.line):1: warning: responsibility \(row.identity ?? "") names provided-uuid "
                    + "\(provided), which no export.provided entry has; the link is kept as written")
            }
        }
        let others = roles.filter { $0 != customer && context.namedRoles.contains($0) }
        let systemName = ssp["system-characteristics"]?["system-name"]?.string
        return ParsedMatrix(rows: context.rows, skipped: [], warnings: context.warnings, parties: [customer] + others,
                            customerParty: customer, provider: provider ?? systemName ?? others.first, tableCount: 1,
                            title: metadata?["title"]?.string)
    }

    /// Reads one SSP's exports into rows.
    struct Context {
        var path: String
        var customer = "customer"
        var components: [String: String] = [:]
        var rows: [MatrixRow] = []
        var warnings: [String] = []
        var uuids = Set<String>()
        var provided = Set<String>()
        var namedRoles = Set<String>()

        func invalid(_ node: BoundedJSON, _ jsonPath: String, _ detail: String) -> ImportError {
            .invalidSSP(path: path, line: node.line, column: node.column, jsonPath: jsonPath, detail: detail)
        }

        mutating func read(_ byComponent: BoundedJSON, at here: String, section control: String) throws {
            guard let export = byComponent["export"] else { return }
            let componentUUID = byComponent["component-uuid"]?.string ?? ""
            let section = "\(control) / \(components[componentUUID] ?? componentUUID)"
            for (index, entry) in (export["provided"]?.array ?? []).enumerated() {
                try add(entry, at: "\(here).export.provided[\(index)]", section: section, provided: true)
            }
            for (index, entry) in (export["responsibilities"]?.array ?? []).enumerated() {
                try add(entry, at: "\(here).export.responsibilities[\(index)]", section: section, provided: false)
            }
        }

        mutating func add(_ entry: BoundedJSON, at here: String, section: String, provided isProvided: Bool) throws {
            let what = isProvided ? "a provided capability" : "a responsibility"
            guard let uuid = entry["uuid"]?.string, !uuid.isEmpty else {
                throw invalid(entry, here, "\(what) without a uuid; give every entry its UUID (items match across re-imports by it)")
            }
            guard uuids.insert(uuid).inserted else {
                throw invalid(entry, here, "uuid \(uuid) is used twice; give every entry its own UUID")
            }
            let description = (entry["description"]?.string ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !description.isEmpty else {
                throw invalid(entry, here, "\(what) without a description; add a description saying what "
                              + (isProvided ? "the provider does" : "the customer must do"))
            }
            var roles: [String] = []
            for (index, role) in (entry["responsible-roles"]?.array ?? []).enumerated() {
                guard let id = role["role-id"]?.string, !id.isEmpty else {
                    throw invalid(role, "\(here).responsible-roles[\(index)]", "has no role-id; name the role (e.g. \"customer\")")
                }
                if !roles.contains(id) { roles.append(id) }
            }
            namedRoles.formUnion(roles)
            var responsibility: [String: String] = [:]
            let letters: String
            if isProvided {
                provided.insert(uuid)
                for role in roles where role != customer { responsibility[role] = "R" }
                letters = ""
            } else if roles.isEmpty || roles.contains(customer) {
                for role in roles { responsibility[role] = "R" }
                responsibility[customer] = "R"
                letters = "R"
            } else {
                for role in roles { responsibility[role] = "R" }
                responsibility[customer] = "I"
                letters = "I"
            }
            var row = MatrixRow(section: section, task: OSCALReader.firstSentence(description), responsibility: responsibility,
                                customerLetters: letters, kind: ItemKind(customerLetters: letters), notes: [description],
                                line: entry.line, singleColumn: true, unreadable: [:])
            row.identity = "oscal:\(uuid)"
            if !isProvided { row.inherits = entry["provided-uuid"]?.string }
            rows.append(row)
        }
    }

    /// `ac-2` → `AC-2`, `ia-2.1` → `IA-2(1)`, as NIST displays control IDs.
    static func displayedControl(_ id: String) -> String {
        let parts = id.split(separator: ".", maxSplits: 1)
        guard let first = parts.first else { return id }
        let base = first.uppercased()
        return parts.count == 2 ? "\(base)(\(parts[1]))" : base
    }

    /// `ac-2_stmt.a` (or rev. 5's `ac-2_smt.a`) → `a.`, `ac-2_stmt.a.1` → `a.1.`; nil for the statement as a whole.
    static func partLabel(_ statementID: String) -> String? {
        guard let range = statementID.range(of: "_stmt.") ?? statementID.range(of: "_smt.") else { return nil }
        let label = statementID[range.upperBound...]
        return label.isEmpty ? nil : label + "."
    }

    /// The text up to the first `.`, `?` or `!` followed by white space or the end (`SAML 2.0` does not end
    /// a sentence), white space collapsed.
    static func firstSentence(_ text: String) -> String {
        let characters = Array(text)
        for (index, character) in characters.enumerated() where ".?!".contains(character) {
            if index + 1 == characters.count || characters[index + 1].isWhitespace {
                return Markup.collapse(String(characters[...index]))
            }
        }
        return Markup.collapse(text)
    }
}
