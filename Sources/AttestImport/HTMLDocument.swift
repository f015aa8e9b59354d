internal import CLibXML2
import Foundation

/// An HTML page or fragment as libxml2's HTML parser builds it (tolerant like a browser: unclosed cells and
/// rows closed, every entity decoded, comments and scripts left out), read into plain Swift values. This
/// class owns the libxml2 document and frees it; no libxml2 pointer leaves this file.
final class HTMLDocument {
    /// A `<table>` as written: rows of cells with their spans, not yet laid out on a grid.
    struct Table {
        enum Part { case head, body, foot }

        struct Cell {
            /// The cell's content as minimal markup: text (`&`, `<`, `>` escaped) with only `<sup>`, `<br>`,
            /// `<p>`, `<li>` and `<ul>` kept, which `Markup` reads. Nested tables are left out (read on their own).
            var markup: String
            var colspan: Int
            var rowspan: Int
            var isHeader: Bool
        }

        struct Row {
            var cells: [Cell]
            /// 1-based line of the `<tr>` in the parsed text.
            var line: Int
            var part: Part
        }

        var rows: [Row] = []
        /// 1-based line of the `<table>` tag.
        var line: Int
        /// The nearest h1–h6 before the table, plain text.
        var section: String
    }

    /// The largest span a cell may give (HTML caps colspan at 1000 and rowspan at 65534).
    static let maxColspan = 1000
    static let maxRowspan = 65534

    private let document: htmlDocPtr

    /// libxml2 wants its globals set up once, before threads parse.
    private static let parserReady: Void = xmlInitParser()

    /// Parses `data` (UTF-8). Parsing never fails on markup, only when libxml2 cannot allocate a document.
    init(data: Data, path: String) throws {
        _ = Self.parserReady
        guard data.count < Int(Int32.max) else { throw ImportError.tooLarge(path: path, limit: Int(Int32.max)) }
        let options = Int32(bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
                            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let parsed: htmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else {
                return htmlReadMemory("", 0, path, "UTF-8", options)
            }
            return htmlReadMemory(base, Int32(raw.count), path, "UTF-8", options)
        }
        guard let parsed else { throw ImportError.unreadable(path: path, detail: "libxml2 could not parse it as HTML (htmlReadMemory returned no document)") }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    /// The page's first h1, plain text.
    private(set) var title: String?

    /// Every table in document order (an outer table before the tables nested in it), each with the
    /// nearest heading before it.
    func tables() -> [Table] {
        var tables: [Table] = []
        var open: [Int] = []            // indices into `tables` of the tables the walk is inside
        var openRow: [Int: Table.Row] = [:]
        var part: [Int: Table.Part] = [:]
        var section = ""
        guard let root = xmlDocGetRootElement(document) else { return [] }
        Self.walk(root, enter: { node in
            guard let name = Self.name(node) else { return false }
            switch name {
            case "script", "style", "template", "head", "noscript":
                return false
            case "h1", "h2", "h3", "h4", "h5", "h6":
                guard open.isEmpty else { return true }
                section = Markup.plain(Self.markup(of: node)).text
                if name == "h1" && title == nil && !section.isEmpty { title = section }
                return false
            case "table":
                tables.append(Table(line: Self.line(node), section: section))
                open.append(tables.count - 1)
                part[tables.count - 1] = .body
            case "thead", "tbody", "tfoot":
                if let table = open.last { part[table] = name == "thead" ? .head : name == "tfoot" ? .foot : .body }
            case "tr":
                if let table = open.last { openRow[table] = Table.Row(cells: [], line: Self.line(node), part: part[table] ?? .body) }
            case "td", "th":
                if let table = open.last, openRow[table] != nil {
                    openRow[table]?.cells.append(Table.Cell(
                        markup: Self.markup(of: node),
                        colspan: min(max(Self.integer(node, "colspan") ?? 1, 1), Self.maxColspan),
                        rowspan: min(max(Self.integer(node, "rowspan") ?? 1, 0), Self.maxRowspan),
                        isHeader: name == "th"))
                }
            default:
                break
            }
            return true  // cells are walked too, for the tables nested in them
        }, leave: { node in
            guard let name = Self.name(node), let table = open.last else { return }
            switch name {
            case "table":
                if let row = openRow.removeValue(forKey: table), !row.cells.isEmpty { tables[table].rows.append(row) }
                open.removeLast()
            case "tr":
                if let row = openRow.removeValue(forKey: table), !row.cells.isEmpty { tables[table].rows.append(row) }
            case "thead", "tbody", "tfoot":
                part[table] = .body
            default:
                break
            }
        })
        return tables
    }

    // MARK: Nodes (pointers stay in here)

    private static func name(_ node: xmlNodePtr) -> String? {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return nil }
        return String(cString: name).lowercased()
    }

    private static func line(_ node: xmlNodePtr) -> Int { max(Int(xmlGetLineNo(node)), 1) }

    private static func integer(_ node: xmlNodePtr, _ attribute: String) -> Int? {
        guard let value = xmlGetProp(node, attribute) else { return nil }
        defer { CLibXML2_free(value) }
        // Browsers read the leading digits: `colspan="2"`, `colspan=" 2 "`, `colspan="2px"`.
        let digits = String(cString: value).trimmingCharacters(in: .whitespaces).prefix { $0.isASCII && $0.isNumber }.prefix(9)
        return Int(digits)
    }

    /// A depth-first walk without recursion (input nesting is untrusted): `enter` says whether to descend;
    /// `leave` follows every `enter`.
    private static func walk(_ root: xmlNodePtr, enter: (xmlNodePtr) -> Bool, leave: (xmlNodePtr) -> Void) {
        var node = root
        while true {
            if enter(node), let child = node.pointee.children {
                node = child
                continue
            }
            leave(node)
            while true {
                if node == root { return }
                if let next = node.pointee.next {
                    node = next
                    break
                }
                guard let parent = node.pointee.parent else { return }
                node = parent
                leave(node)
            }
        }
    }

    /// A cell's or heading's content as the minimal markup `Markup` reads (see `Table.Cell.markup`).
    private static func markup(of element: xmlNodePtr) -> String {
        var out = ""
        walk(element, enter: { node in
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { out += escape(String(cString: content)) }
                return false
            case XML_ELEMENT_NODE:
                guard node != element, let name = name(node) else { return true }
                switch name {
                case "table", "script", "style", "template", "noscript": return false
                case "br": out += "<br>"; return false
                case "sup", "p", "li", "ul", "ol": out += "<\(name)>"
                case "div": out += "<p>"
                default: break
                }
                return true
            default:
                return false  // comments, processing instructions
            }
        }, leave: { node in
            guard node != element, let name = name(node) else { return }
            switch name {
            case "sup", "p", "li", "ul", "ol": out += "</\(name)>"
            case "div": out += "</p>"
            default: break
            }
        })
        return out
    }

    private static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) else {
            return text
        }
        return text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
