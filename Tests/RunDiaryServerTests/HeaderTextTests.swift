import Testing

@testable import RunDiaryServer

@Suite("Header values read byte by byte")
struct HeaderTextTests {
    @Test(arguments: [
        ("abc", "abc"), (" \tabc\t ", "abc"), ("a b\tc", "a b\tc"), ("", ""), (" \t \t", ""),
        ("\t é ", "é"), ("\u{00A0}x\u{00A0}", "\u{00A0}x\u{00A0}"), ("\r\nx", "\r\nx"),
    ])
    func optionalWhitespaceIsSpacesAndTabsAtEitherEnd(text: String, expected: String) {
        #expect(HeaderText.trimmed(Substring(text)) == Substring(expected))
        // The same through a slice that does not start at its string's start.
        let padded = "••" + text
        #expect(HeaderText.trimmed(padded.dropFirst(2)) == Substring(expected))
    }

    @Test func theSchemeIsMatchedWithoutCase() {
        for text in ["Bearer x", "bearer x", "BEARER ", "bEaReR \t"] {
            #expect(HeaderText.hasPrefix(text, caseInsensitive: "bearer "), "\(text)")
        }
        for text in ["Bearer", "Bearerx", "Basic abc", "", "bearer\tx", "Béarer x", "bearer_"] {
            #expect(!HeaderText.hasPrefix(text, caseInsensitive: "bearer "), "\(text)")
        }
    }
}
