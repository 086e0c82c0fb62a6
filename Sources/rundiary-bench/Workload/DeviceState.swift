import NIOConcurrencyHelpers

/// A device's sync state shared by the tasks that act for it: the next mutation id and the last pull cursor.
final class DeviceState: Sendable {
    let session: DeviceSession
    private let state = NIOLockedValueBox((nextMutationID: Int64(1), cursor: ""))

    init(session: DeviceSession) {
        self.session = session
    }

    /// Reserves `count` consecutive mutation ids and returns the first.
    func takeMutationIDs(_ count: Int) -> Int64 {
        state.withLockedValue { value in
            let first = value.nextMutationID
            value.nextMutationID += Int64(count)
            return first
        }
    }

    var cursor: String {
        get { state.withLockedValue { $0.cursor } }
        set { state.withLockedValue { $0.cursor = newValue } }
    }
}
