import Foundation
import Testing

@testable import RunDiaryStore

@Suite("base64url without padding")
struct Base64URLTests {
    /// RFC 4648's alphabet with `-` and `_`, and no padding, computed independently through Foundation's base64.
    static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func encodesAsFoundationDoesAndDecodesBack() {
        var random = SystemRandomNumberGenerator()
        for length in 0...70 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
                let text = Base64URL.encode(bytes)
                #expect(text == Self.reference(bytes))
                #expect(Base64URL.decode(text) == bytes)
            }
        }
        #expect(Base64URL.encode(Array("v:42".utf8)) == "djo0Mg")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    }

    /// Padding, the other alphabet's letters, an impossible length and non-zero unused bits are not base64url text of
    /// any bytes: each byte string has one text.
    @Test func refusesWhatIsNotCanonical() {
        for text in ["djo0Mg==", "+_8", "-/8", "a", "abcde", "dj o0Mg", "djo0Mh", "-_9", "é"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
        #expect(Base64URL.decode("") == [])
    }
}
