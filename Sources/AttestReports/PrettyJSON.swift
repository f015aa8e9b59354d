import AttestCore
import Foundation

/// JSON written as it is produced, without a tree in between: two spaces per level, `"key": value`, empty
/// containers as `{}` and `[]`, strings escaped as records are (`JSONString`). Keys come out in the order
/// they are written; callers write them sorted by their UTF-8 bytes, so that the same state gives the
/// same bytes (debug builds check the order).
///
/// Large arrays are rendered in pieces on every core: `elements(_:to:chunk:_:)` writes what came before
/// to the output, then hands each run of elements to a writer of its own that starts inside the array.
struct PrettyJSON {
    private(set) var bytes = ByteBuffer(capacity: 1 << 12)
    /// The indent of the members or elements of the container being written.
    private var indent: Int
    /// Open containers.
    private var depth: Int
    /// The container being written has no member or element yet.
    private var empty = true
    /// A key was written; its value comes next, on the same line.
    private var afterKey = false
    #if DEBUG
    private var lastKeys: [[UInt8]] = []
    #endif

    /// A writer for one document, at the top level.
    init() {
        indent = 0
        depth = 0
    }

    /// A writer for elements of an array whose elements sit at `elementIndent`, `hasElements` when some
    /// precede them (then the first element starts with a comma).
    init(elementsAt elementIndent: Int, hasElements: Bool) {
        indent = elementIndent
        depth = 1
        empty = !hasElements
        bytes = ByteBuffer(capacity: 1 << 20)
    }

    // MARK: Values

    mutating func key(_ name: StaticString) {
        separator()
        #if DEBUG
        let key = Array(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        if let last = lastKeys.last, !last.isEmpty {
            precondition(last.lexicographicallyPrecedes(key), "PrettyJSON: key \(name) written after \(String(decoding: last, as: UTF8.self))")
        }
        if !lastKeys.isEmpty { lastKeys[lastKeys.count - 1] = key }
        #endif
        bytes.append(UInt8(ascii: "\""))
        bytes.append(name)
        bytes.append("\": ")
        afterKey = true
    }

    mutating func string(_ value: String) {
        beginValue()
        JSONString.append(value, to: &bytes)
    }

    /// A string written in pieces (`text`), without composing it first: `json.string { $0.text("#"); $0.text(uuid) }`.
    mutating func string(_ pieces: (inout PrettyJSON) -> Void) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        pieces(&self)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A piece of the string being written, escaped.
    mutating func text(_ piece: String) {
        JSONString.appendEscaped(piece, to: &bytes)
    }

    /// A piece that needs no escaping.
    mutating func text(_ piece: StaticString) {
        bytes.append(piece)
    }

    mutating func text(_ number: Int) {
        bytes.append(utf8: String(number))
    }

    /// An instant as records store it (`Timestamp.format`).
    mutating func text(_ date: Date) { Timestamp.append(date, to: &bytes) }

    mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// One of attest's props (`{"name": …, "ns": …, "value": …}`) as an element of the array being written:
    /// `value` folded onto one line, as OSCAL strings must be.
    mutating func prop(_ name: String, _ value: String) {
        prop(name: { JSONString.appendEscaped(name, to: &$0) }, value: { JSONString.appendEscaped(OSCALReport.oneLine(value), to: &$0) })
    }

    /// A prop whose value is an instant (`Timestamp.format`).
    mutating func prop(_ name: StaticString, _ value: Date) {
        prop(name: { $0.append(name) },
             value: { Timestamp.append(value, to: &$0) })
    }

    /// What `object` with the members name, ns and value writes, without its bookkeeping: a report has a
    /// prop for each fact of each of 10^5 records. (Keys in order: name < ns < value.)
    private mutating func prop(name: (inout ByteBuffer) -> Void, value: (inout ByteBuffer) -> Void) {
        beginValue()
        bytes.append(UInt8(ascii: "{"))
        LineStart.append(indent: indent + 2, to: &bytes)
        bytes.append("\"name\": \"")
        name(&bytes)
        bytes.append("\",")
        LineStart.append(indent: indent + 2, to: &bytes)
        bytes.append(UnsafeRawBufferPointer(Self.namespaceMember))
        LineStart.append(indent: indent + 2, to: &bytes)
        bytes.append("\"value\": \"")
        value(&bytes)
        bytes.append(UInt8(ascii: "\""))
        LineStart.append(indent: indent, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        empty = false
    }

    /// `"ns": "<attest's namespace>",`, made once (plain memory: appending it retains nothing).
    private nonisolated(unsafe) static let namespaceMember: UnsafeBufferPointer<UInt8> = {
        var member = ByteBuffer()
        JSONString.append("ns", to: &member)
        member.append(": ")
        JSONString.append(OSCALReport.propertyNamespace, to: &member)
        member.append(UInt8(ascii: ","))
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: member.count)
        _ = buffer.initialize(from: member.array)
        return UnsafeBufferPointer(buffer)
    }()

    mutating func object(_ body: (inout PrettyJSON) -> Void) {
        beginValue()
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array(_ body: (inout PrettyJSON) -> Void) {
        beginValue()
        open(UInt8(ascii: "["))
        body(&self)
        close(UInt8(ascii: "]"))
    }

    mutating func member(_ name: StaticString, object body: (inout PrettyJSON) -> Void) {
        key(name)
        object(body)
    }

    mutating func member(_ name: StaticString, array body: (inout PrettyJSON) -> Void) {
        key(name)
        array(body)
    }

    /// `count` elements of the array being written, rendered `chunk` at a time on every core: what was
    /// written so far goes to `output` first, then each run of elements as it is ready, in order.
    mutating func elements(_ count: Int, to output: ReportOutput, chunk: Int = 256,
                           _ element: @Sendable (Int, inout PrettyJSON) -> Void) {
        guard count > 0 else { return }
        output.write(bytes)
        bytes.removeAll()
        let indent = indent, hasElements = !empty, runs = Parallel.ranges(count, size: chunk)
        output.writeOrdered(runs.count) { run in
            var json = PrettyJSON(elementsAt: indent, hasElements: hasElements || run > 0)
            for index in runs[run] { element(index, &json) }
            return json.bytes
        }
        empty = false
    }

    // MARK: Layout

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
        } else if depth > 0 {
            separator()
        }
    }

    /// Before a member or element: a comma after the one before, a line feed and the indent.
    private mutating func separator() {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        newLine()
    }

    /// A line feed and the indent.
    private mutating func newLine() { LineStart.append(indent: indent, to: &bytes) }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        indent += 2
        depth += 1
        empty = true
        #if DEBUG
        lastKeys.append([])
        #endif
    }

    private mutating func close(_ bracket: UInt8) {
        indent -= 2
        depth -= 1
        if !empty { newLine() }
        bytes.append(bracket)
        empty = false
        #if DEBUG
        lastKeys.removeLast()
        #endif
    }
}
