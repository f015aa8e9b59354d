internal import CLibXML2
import AttestCore
import Foundation

/// Owns one libxml2 text writer streaming to a file, and frees it. Every C return code below zero
/// becomes a thrown error that names the call. No libxml2 pointer leaves this type.
///
/// The bytes reach the file through POSIX `write` calls made here (libxml2's own file output goes through
/// stdio and loses the reason for a failure, and a failure at close entirely), so that a full disk or the
/// file-size limit is reported as what it is: "no space left on device while writing Reports/x.junit.xml".
final class XMLStreamWriter {
    private var writer: xmlTextWriterPtr?
    /// How errors name the file (the report's path, not the temporary file's).
    private let path: String
    private let sink: ReportOutput

    init(path: String, displayPath: String) throws {
        self.path = displayPath
        CLibXML2_silenceErrors()
        sink = try ReportOutput(creating: path, displayPath: displayPath)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        guard let output = xmlOutputBufferCreateIO(
            { context, buffer, length in
                guard let context, let buffer, length >= 0 else { return -1 }
                return Unmanaged<ReportOutput>.fromOpaque(context).takeUnretainedValue().write(buffer, Int(length))
            },
            { context in
                guard let context else { return -1 }
                return Unmanaged<ReportOutput>.fromOpaque(context).takeUnretainedValue().close() ? 0 : -1
            },
            context, nil)
        else {
            sink.close()
            throw ReportError.xml(call: "xmlOutputBufferCreateIO", code: -1, path: displayPath)
        }
        // The writer owns the output buffer from here, and closes it (through `ReportOutput.close`) when freed.
        guard let writer = xmlNewTextWriter(output) else {
            xmlOutputBufferClose(output)
            throw ReportError.xml(call: "xmlNewTextWriter", code: -1, path: displayPath)
        }
        self.writer = writer
        try check(xmlTextWriterSetIndent(writer, 1), "xmlTextWriterSetIndent")
        try check(xmlTextWriterSetIndentString(writer, "  "), "xmlTextWriterSetIndentString")
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
        sink.close()
    }

    func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "xmlTextWriterStartDocument")
    }

    func startElement(_ name: String) throws {
        try check(xmlTextWriterStartElement(writer, name), "xmlTextWriterStartElement")
    }

    func attribute(_ name: String, _ value: String) throws {
        try check(xmlTextWriterWriteAttribute(writer, name, XMLText.clean(value, keepingLineFeeds: false)), "xmlTextWriterWriteAttribute")
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

    /// Ends the document, flushes and frees the writer, which closes the file (synced to disk); a failure
    /// at any of these steps is thrown, so that a report is never left short without a word.
    func finish() throws {
        try check(xmlTextWriterEndDocument(writer), "xmlTextWriterEndDocument")
        try check(xmlTextWriterFlush(writer), "xmlTextWriterFlush")
        xmlFreeTextWriter(writer)
        writer = nil
        try check(sink.close() ? 0 : -1, "close")
    }

    /// A failed call: the reason the file could not be written when there is one (ENOSPC, EFBIG…), else
    /// which libxml2 call failed.
    private func check(_ code: Int32, _ call: String) throws {
        guard code < 0 else { return }
        if sink.failure != 0 {
            throw ReportError.writeFailed(path: path, detail: "\(SafeFile.describe(errno: sink.failure)) while writing \(path)")
        }
        throw ReportError.xml(call: call, code: code, path: path)
    }
}
