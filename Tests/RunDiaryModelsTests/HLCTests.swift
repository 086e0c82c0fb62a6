import Foundation
import RunDiaryModels
import Testing

@Suite("HLC text form and order")
struct HLCTests {
    static let example = "2026-11-26T13:45:19.123Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60"

    @Test("parses and formats the documented example")
    func example() throws {
        let clock = try #require(HLC(Self.example))
        #expect(clock.physicalMillis == 1_795_700_719_123)
        #expect(clock.counter == 0)
        #expect(clock.node == UUID(uuidString: "7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60"))
        #expect(clock.description == Self.example)
    }

    @Test("formats the epoch, the last instant, and counters in uppercase hex")
    func edges() {
        let node = UUID(uuidString: "00000000-0000-0000-0000-00000000000a")!
        #expect(
            HLC(physicalMillis: 0, counter: 0xABCD, node: node).description
                == "1970-01-01T00:00:00.000Z-ABCD-00000000-0000-0000-0000-00000000000a")
        #expect(
            HLC(physicalMillis: HLC.maximumPhysicalMillis, counter: .max, node: node).description
                == "9999-12-31T23:59:59.999Z-FFFF-00000000-0000-0000-0000-00000000000a")
        #expect(
            HLC(physicalMillis: 951_782_400_000, counter: 1, node: node).description.hasPrefix(
                "2000-02-29T00:00:00.000Z-0001"))
    }

    @Test(
        "rejects anything but the canonical form",
        arguments: [
            "",
            "2026-11-26T13:45:19.123Z-0000-7F1C0A52-8C8E-4D5E-9D3A-1B2C3D4E5F60",
            "2026-11-26T13:45:19.123Z-00ab-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60",
            "2026-11-26T13:45:19.123+00:00-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60",
            "2026-11-26T13:45:19Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60",
            "2026-02-30T13:45:19.123Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60",
            "2026-11-26T24:00:00.000Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60",
            "1969-12-31T23:59:59.999Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60",
            "2026-11-26T13:45:19.123Z-0000-7f1c0a528c8e-4d5e-9d3a-1b2c3d4e5f60-",
            "2026-11-26T13:45:19.123Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f6g",
            "2026-11-26T13:45:19.123Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60 ",
        ]
    )
    func rejects(_ text: String) {
        #expect(HLC(text) == nil)
    }

    @Test("parse and format are inverse, and string order is clock order (seeded)")
    func orderMatchesText() throws {
        var random = SplitMix64(seed: 0x484C_4331)
        let nodes = (0..<4).map { _ in random.uuid() }
        var clocks: [HLC] = []
        for _ in 0..<2000 {
            // Few distinct millis and counters, so ties on the leading parts are common.
            let millis = Int64.random(in: 0...3, using: &random) * Int64.random(in: 0...HLC.maximumPhysicalMillis / 4, using: &random)
            let counter = UInt16.random(in: 0...2, using: &random) * UInt16.random(in: 0...UInt16.max / 2, using: &random)
            clocks.append(HLC(physicalMillis: millis, counter: counter, node: nodes.randomElement(using: &random)!))
        }
        // The JSON writers append the text in place, after whatever the buffer already holds.
        var appended: [UInt8] = Array("[".utf8)
        for clock in clocks {
            #expect(HLC(clock.description) == clock)
            clock.appendText(to: &appended)
            appended.append(UInt8(ascii: ","))
        }
        #expect(String(decoding: appended, as: UTF8.self) == "[" + clocks.map { $0.description + "," }.joined())
        for (left, right) in zip(clocks, clocks.dropFirst()) {
            #expect((left < right) == (left.description < right.description), "\(left) vs \(right)")
            #expect((left == right) == (left.description == right.description))
        }
    }

    @Test("order is physical time, then counter, then node")
    func order() {
        let a = HLC.at(5, 9, on: Device.tablet)
        #expect(HLC.at(4, 10, on: Device.tablet) < a)
        #expect(HLC.at(5, 8, on: Device.tablet) < a)
        #expect(HLC.at(5, 9, on: Device.phone) < a)
        #expect(!(a < a))
    }

    @Test("encodes as a single JSON string")
    func codable() throws {
        let clock = try #require(HLC(Self.example))
        let data = try JSONEncoder().encode(clock)
        #expect(String(decoding: data, as: UTF8.self) == "\"\(Self.example)\"")
        #expect(try JSONDecoder().decode(HLC.self, from: data) == clock)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HLC.self, from: Data(#""nope""#.utf8)) }
    }

    @Test("skew check compares physical time against a limit")
    func skew() {
        let clock = HLC.at(60_000, on: Device.phone)
        let now = HLC.at(0, on: Device.phone).physicalMillis
        #expect(!clock.isAhead(of: now, byMoreThan: 60_000))
        #expect(clock.isAhead(of: now, byMoreThan: 59_999))
        #expect(!HLC.at(0, on: Device.phone).isAhead(of: now + 1_000_000, byMoreThan: 0))
    }
}
