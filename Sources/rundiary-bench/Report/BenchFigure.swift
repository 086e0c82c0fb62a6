/// One measured figure, beside two ceilings and the target: the store's own statements run without the
/// server (``StoreCeiling``), and the least SQL any sync server must run for the same work (``LeastSQLCeiling``).
struct BenchFigure: Sendable, Encodable {
    let scenario: String
    let metric: String
    let value: Double
    let unit: String
    /// The store's own statements, called directly (no HTTP, no JSON bodies), when the figure has one.
    var ceiling: Double?
    /// The least SQL for the same work, in pgbench, when the figure has one.
    var leastCeiling: Double?
    /// The target, in words (`≥ 0.8 × ceiling`, `< 20 ms`).
    var target: String?
    /// Whether the figure meets its target, when it has one.
    var meetsTarget: Bool?
    var note: String?

    /// value / ceiling.
    var ratio: Double? {
        guard let ceiling, ceiling > 0 else { return nil }
        return value / ceiling
    }

    /// value / least-SQL ceiling.
    var leastRatio: Double? {
        guard let leastCeiling, leastCeiling > 0 else { return nil }
        return value / leastCeiling
    }

    enum CodingKeys: String, CodingKey {
        case scenario, metric, value, unit, target, note
        case ceiling = "store_ceiling"
        case ratio = "store_ratio"
        case leastCeiling = "least_sql_ceiling"
        case leastRatio = "least_sql_ratio"
        case meetsTarget = "meets_target"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(metric, forKey: .metric)
        try container.encode(value, forKey: .value)
        try container.encode(unit, forKey: .unit)
        try container.encodeIfPresent(ceiling, forKey: .ceiling)
        try container.encodeIfPresent(ratio, forKey: .ratio)
        try container.encodeIfPresent(leastCeiling, forKey: .leastCeiling)
        try container.encodeIfPresent(leastRatio, forKey: .leastRatio)
        try container.encodeIfPresent(target, forKey: .target)
        try container.encodeIfPresent(meetsTarget, forKey: .meetsTarget)
        try container.encodeIfPresent(note, forKey: .note)
    }
}

/// A scenario's server memory: the peak of VmRSS sampled every 100 ms while it ran.
struct ScenarioMemory: Sendable, Encodable {
    let scenario: String
    let peakRSSMegabytes: Double
    /// The ceiling for this scenario: 150 MiB (issue 10), or 200 MB while the live scenario holds thousands
    /// of streams (issue 11).
    let targetMegabytes: Double

    enum CodingKeys: String, CodingKey {
        case scenario
        case peakRSSMegabytes = "peak_rss_mib"
        case targetMegabytes = "target_mib"
    }
}
