import Testing

/// The suites that start server processes, one test at a time: each starts `rundiary serve` (and the simulation a
/// PostgreSQL cluster too), and on a small machine many at once would starve the rest of the suite.
@Suite(.serialized)
enum LiveServerSuites {}
