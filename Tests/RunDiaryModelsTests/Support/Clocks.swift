import Foundation
import RunDiaryModels

/// Fixed devices and clock shorthands for merge tests.
enum Device {
    static let phone = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    static let tablet = UUID(uuidString: "22222222-2222-4222-8222-222222222222")!
    static let watch = UUID(uuidString: "33333333-3333-4333-8333-333333333333")!
}

extension HLC {
    /// A clock at `millis` after 2026-11-26T13:00:00Z.
    static func at(_ millis: Int64, _ counter: UInt16 = 0, on node: UUID) -> HLC {
        HLC(physicalMillis: 1_795_698_000_000 + millis, counter: counter, node: node)
    }
}
