import Foundation
import RunDiaryModels
import Testing

@testable import RunDiaryExports

@Suite("Export: JSON text")
struct JSONEscapingTests {
    static let texts = [
        "plain", "quote \" backslash \\", "line\nbreak\ttab\r", "\u{1}\u{1F}", "a\u{2028}b\u{2029}c", "… € †", "Hüfte 🏃‍♀️",
    ]

    @Test("the FHIR writer escapes strings exactly as the shared JSON writer does", arguments: texts)
    func sameEscaperAsTheModels(text: String) throws {
        var shared: [UInt8] = []
        JSONValue.appendString(text, to: &shared)
        let object: OrderedJSON = ["note": .string(text)]
        #expect(OrderedJSON.string(text).bytes == shared)
        #expect(object.text == "{\"note\":" + String(decoding: shared, as: UTF8.self) + "}")
        let parsed = try JSONSerialization.jsonObject(with: Data(object.bytes)) as? [String: String]
        #expect(parsed?["note"] == text)
    }

    @Test("U+2028 and U+2029 never reach a bundle raw")
    func separatorsAreEscapedInBundles() {
        let text = OrderedJSON.object([("note", .string("one\u{2028}two\u{2029}"))]).text
        #expect(text == #"{"note":"one\u2028two\u2029"}"#)
    }
}
