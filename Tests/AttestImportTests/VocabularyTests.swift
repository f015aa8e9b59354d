@testable import AttestImport
import Testing

@Suite struct VocabularyTests {
    @Test(arguments: [
        ("RA", "RA"), ("R/A", "RA"), ("A, R", "RA"), ("C, I", "CI"), ("ci", "CI"), ("**RA**", "RA"), ("__C, I__", "CI"),
        ("I*", "I"), ("RA*", "RA"), ("R<sup>3</sup>", "R"), ("X", "R"), ("x", "R"), ("✓", "R"), ("✅", "R"), ("✅ Owns", "R"),
        ("✅ Configures and retains", "R"), ("Owner", "R"), ("Owns", "R"), ("Responsible", "R"), ("Accountable", "A"),
        ("Consulted", "C"), ("Informed", "I"), ("Responsible and Accountable", "RA"), ("", ""), ("-", ""), ("  ", ""),
        ("R (1)", "R"), ("R, A, C, I", "RACI"),
    ])
    func readsLetters(cell: String, letters: String) {
        #expect(Vocabulary.letters(cell) == letters)
    }

    @Test(arguments: ["Maybe", "Enforces", "When delegated", "S", "RX", "Responsible for patching"])
    func rejectsWhatIsNotRACI(cell: String) {
        #expect(Vocabulary.letters(cell) == nil)
    }

    @Test(arguments: [
        ("Patching the [!DNL Example Cloud] hypervisor", "Patching the Example Cloud hypervisor"),
        ("Open [!UICONTROL Settings]", "Open Settings"),
        ("See [the guide](https://example.com/a_b) now", "See the guide now"),
        ("Line<br>break &amp; more", "Line break & more"),
        ("Backbone network(1)", "Backbone network"),
        ("*If subscribed:* configure", "If subscribed: configure"),
        ("{{site.data.keyword.IBM_notm}} Responsibilities", "IBM Responsibilities"),
        ("Task {: .caption}", "Task"),
    ])
    func plainText(raw: String, plain: String) {
        #expect(Markup.plain(raw).text == plain)
    }

    @Test func footnoteMarkersAreKept() {
        #expect(Markup.plain("Scanning<sup>2</sup> code [^1]").footnotes == ["2", "1"])
        #expect(Markup.plain("R<sup><strong>3</strong></sup>").footnotes == ["3"])
    }
}
