extension SyncEngine {
    /// Limits and timings of an engine; the defaults suit an app on a phone.
    public struct Configuration: Hashable, Sendable {
        /// Most mutations in one push: the server's default limit. A 413 answer halves it for the rest of the sync.
        public var pushBatchSize: Int
        /// Records asked for per pull page.
        public var pullPageSize: Int
        public var retry: RetryPolicy
        /// How often ``SyncEngine/run()`` syncs when the server has no live channel.
        public var pollInterval: Duration
        /// How often ``SyncEngine/run()`` syncs anyway while the live channel is connected.
        public var liveRecheckInterval: Duration
        /// How long one request may wait for the server (for the live stream: for its next bytes, so longer
        /// than the server's heartbeat).
        public var requestTimeout: Double
        /// Seconds between heartbeats after which the live stream counts as lost.
        public var streamIdleTimeout: Double
        /// The server's tombstone retention (`RUNDIARY_TOMBSTONE_RETENTION`, 90 days by default), or less. After a
        /// reset, a record the server lacks is created again (a restore lost it) only if this device synced within
        /// it: the server prunes a tombstone only once every device seen within the retention has pulled it, so for
        /// such a device a missing record cannot be a pruned delete. A device away longer drops such records.
        public var tombstoneRetention: Duration

        public init(
            pushBatchSize: Int = 500, pullPageSize: Int = 500, retry: RetryPolicy = RetryPolicy(),
            pollInterval: Duration = .seconds(30), liveRecheckInterval: Duration = .seconds(600), requestTimeout: Double = 60,
            streamIdleTimeout: Double = 75, tombstoneRetention: Duration = .seconds(90 * 86_400)
        ) {
            self.pushBatchSize = max(1, pushBatchSize)
            self.pullPageSize = max(1, pullPageSize)
            self.retry = retry
            self.pollInterval = pollInterval
            self.liveRecheckInterval = liveRecheckInterval
            self.requestTimeout = requestTimeout
            self.streamIdleTimeout = streamIdleTimeout
            self.tombstoneRetention = tombstoneRetention
        }
    }
}
