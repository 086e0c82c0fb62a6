import Foundation
import Testing

@testable import RunDiaryModels

@Suite("UUID text without sscanf")
struct UUIDTextTests {
    static let inputs: [String] = [
        "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01", "3B0F6A8E-2C4D-4E7A-9F10-5A6B7C8D9E01", "3b0F6a8E-2c4D-4e7A-9f10-5A6b7C8d9E01",
        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e0", "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e011", "3b0f6a8e2c4d-4e7a-9f10-5a6b7c8d9e01-",
        "3b0f6a8g-2c4d-4e7a-9f10-5a6b7c8d9e01", "{3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e}",
        "3b0f6a8e-2c4d-4e7a-9f10+5a6b7c8d9e01", "3b0f6a8e_2c4d_4e7a_9f10_5a6b7c8d9e01",
        "", "not a uuid at all, but 36 bytes long", "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9é",
    ]

    @Test("reads what UUID(uuidString:) reads, and refuses what it refuses", arguments: inputs)
    func agreesWithFoundation(text: String) {
        #expect(UUID(text: text) == UUID(uuidString: text))
    }

    /// Foundation on Linux reads the text with `sscanf`, whose `%x` skips leading blanks and takes a sign: it takes
    /// these for UUIDs, and not the ones they spell (" 3b0f6a8-…" becomes 3b0f6a08-…). A reference stored from such
    /// text would name another record than its text says; the 36-character form is all a UUID may be.
    @Test(arguments: [" 3b0f6a8-2c4d-4e7a-9f10-5a6b7c8d9e01", "+3b0f6a8-2c4d-4e7a-9f10-5a6b7c8d9e01"])
    func refusesWhatSscanfTakesButIsNoUUID(text: String) {
        #expect(UUID(text: text) == nil)
        #expect(FieldSpec("run_id", .reference(.run)).validate(.string(text))?.code == .invalidValue)
    }

    @Test func writesTheLowercaseForm() {
        for _ in 0..<200 {
            let uuid = UUID()
            #expect(uuid.lowercasedText == uuid.uuidString.lowercased())
            #expect(UUID(text: uuid.lowercasedText) == uuid)
            #expect(UUID(text: uuid.uuidString) == uuid)
        }
    }
}
