import AttestCore
import Foundation
import Testing

/// The one escaping rule for text shown to people (terminal, markdown, JUnit).
@Suite struct VisibleTextTests {
    @Test(arguments: [
        ("plain text, C:\\path\\n and 😀 שלום", "plain text, C:\\path\\n and 😀 שלום"),
        ("a\nb", "a\\nb"),
        ("tab\tcr\r", "tab\\tcr\\r"),
        ("\u{1B}[2J\u{1B}[31mred", "\\e[2J\\e[31mred"),
        ("\u{0}\u{7}\u{7F}\u{85}\u{9B}", "\\u{00}\\u{07}\\u{7F}\\u{85}\\u{9B}"),
        ("\u{2028}\u{2029}\u{202A}\u{202E}\u{2066}\u{2069}", "\\u{2028}\\u{2029}\\u{202A}\\u{202E}\\u{2066}\\u{2069}"),
        ("\u{200B}\u{2027}\u{202F}\u{2065}\u{206A}é", "\u{200B}\u{2027}\u{202F}\u{2065}\u{206A}é"),  // outside the set: unchanged
    ])
    func escapes(_ input: String, _ shown: String) {
        #expect(input.visible == shown)
    }

    @Test func everyCharacterOfTheSetIsEscapedAndNoOther() {
        for value in UInt32(0)...0x2100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let inSet = value < 0x20 || (0x7F...0x9F).contains(value) || (0x2028...0x2029).contains(value)
                || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            #expect(VisibleText.isEscaped(scalar) == inSet, "U+\(String(value, radix: 16))")
            #expect(String(scalar).visible.unicodeScalars.allSatisfy { !VisibleText.isEscaped($0) })
        }
    }

    @Test func linesAreKeptWhereTheTextIsSeveralLinesByDesign() {
        #expect(VisibleText.escapeKeepingLines("error: \u{1B}[2Jx\nfix:\tthis") == "error: \\e[2Jx\nfix:\\tthis")
    }
}
