/// Push batches built before a timed window, so that the bench does not spend the cores it shares with the server and
/// PostgreSQL on making them while the push is measured (building them took about a twentieth of the machine's CPU
/// during a 16-device push). A pusher that runs out builds the rest as it goes; how many it built so shows in the
/// figure's note.
struct BatchStock<Batch: Sendable>: Sendable {
    /// The batches of each pusher, in the order it pushes them.
    let batches: [[Batch]]

    /// `perPusher` batches for each of `pushers`; `make(pusher, index)` builds a pusher's batch `index` (0, 1, …), in
    /// that order for each pusher.
    init(pushers: Int, perPusher: Int, make: (Int, Int) -> Batch) {
        batches = (0..<pushers).map { pusher in (0..<perPusher).map { make(pusher, $0) } }
    }

    /// How many batches each of `pushers` is given for a window of `seconds` at about `rate` mutations per second
    /// (the rate measured last, or an estimate): one and a half times what that rate takes, at most `maxTotal` in all.
    static func perPusher(rate: Double, seconds: Double, pushers: Int, batchSize: Int, maxTotal: Int = 4_000) -> Int {
        let wanted = (1.5 * rate * seconds / Double(pushers * batchSize)).rounded(.up)
        return max(2, min(Int(wanted), maxTotal / pushers))
    }

    /// One pusher's batches in the order it pushes them: those built before the window, then those `make` builds.
    struct Supply {
        let stocked: [Batch]
        /// The index of the next batch.
        private(set) var next = 0
        /// How many batches were built in the window.
        private(set) var built = 0

        /// The next batch: a stocked one, or `make(index)` once they are used up.
        mutating func take(orMake make: (Int) -> Batch) -> Batch {
            defer { next += 1 }
            if next < stocked.count { return stocked[next] }
            built += 1
            return make(next)
        }
    }

    /// Pusher `pusher`'s supply.
    func supply(_ pusher: Int) -> Supply { Supply(stocked: batches[pusher]) }
}
