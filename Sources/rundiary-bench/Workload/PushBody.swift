import Foundation
import NIOCore
import RunDiaryModels

/// The JSON body of `POST /v1/sync/push` for generated records, built as text (the bench must not spend the
/// machine's two cores on JSONEncoder while the server is measured).
enum PushBody {
    /// Records as mutations `firstMutationID…` of `device`, stamped now with counters 0, 1, 2, …
    static func make(_ records: [GeneratedRecord], firstMutationID: Int64, device: UUID) -> ByteBuffer {
        let millis = Int64(Date().timeIntervalSince1970 * 1000)
        var text = "{\"schema_version\":1,\"mutations\":["
        for (offset, record) in records.enumerated() {
            if offset > 0 { text += "," }
            let hlc = HLC(physicalMillis: millis, counter: UInt16(truncatingIfNeeded: offset), node: device)
            text += record.mutationJSON(mutationID: firstMutationID + Int64(offset), hlc: hlc)
        }
        text += "]}"
        return ByteBuffer(string: text)
    }
}
