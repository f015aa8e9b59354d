internal import CLibXML2
import Foundation

/// Owns one libxml2 text writer streaming to a file, and frees it. Every C return code below zero
/// becomes a thrown error that names the call. No libxml2 pointer leaves this type.
final class XMLStreamWriter {
    private var writer: xmlTextWriterPtr?
    /// How errors name the file (the report's path, not the temporary file's).
    private let path: String

    init(path: String, displayPath: String) throws {
        self.path = displayPath
        CLibXML2_silenceErrors()
        guard let writer = xmlNewTextWriterFilename(path, 0) else {
            throw ReportError.xml(call: "xmlNewTextWriterFilename", code: -1, path: path)
        }
        self.writer = writer
        try check(xmlTextWriterSetIndent(writer, 1), "xmlTextWriterSetIndent")
        try check(xmlTextWriterSetIndentString(writer, "  "), "xmlTextWriterSetIndentString")
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
    }

    func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "xmlTextWriterStartDocument")
    }

    func startElement(_ name: String) throws {
        try check(xmlTextWriterStartElement(writer, name), "xmlTextWriterStartElement")
    }

    func attribute(_ name: String, _ value: String) throws {
        try check(xmlTextWriterWriteAttribute(writer, name, XMLText.clean(value)), "xmlTextWriterWriteAttribute")
    }

    func text(_ value: String) throws {
        try check(xmlTextWriterWriteString(writer, XMLText.clean(value)), "xmlTextWriterWriteString")
    }

    func endElement() throws {
        try check(xmlTextWriterEndElement(writer), "xmlTextWriterEndElement")
    }

    /// An element with text content (never self-closing: some consumers read `<failure/>` as no failure).
    func element(_ name: String, attributes: [(String, String)] = [], text: String) throws {
        try startElement(name)
        for (key, value) in attributes { try attribute(key, value) }
        try self.text(text.isEmpty ? " " : text)
        try check(xmlTextWriterFullEndElement(writer), "xmlTextWriterFullEndElement")
    }

    /// Ends the document, flushes and frees the writer (which closes the file).
    func finish() throws {
        try check(xmlTextWriterEndDocument(writer), "xmlTextWriterEndDocument")
        try check(xmlTextWriterFlush(writer), "xmlTextWriterFlush")
        xmlFreeTextWriter(writer)
        writer = nil
    }

    private func check(_ code: Int32, _ call: String) throws {
        if code < 0 { throw ReportError.xml(call: call, code: code, path: path) }
    }
}
