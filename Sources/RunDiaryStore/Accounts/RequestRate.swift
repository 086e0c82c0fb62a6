/// How many requests a user may make: `perSecond` sustained, and `burst` at once after a quiet spell.
package struct RequestRate: Sendable, Hashable {
    package let perSecond: Double
    package let burst: Double

    package init(perSecond: Double, burst: Double) {
        precondition(perSecond > 0 && burst >= 1, "a rate must allow at least one request")
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Seconds one request uses of the allowance (the emission interval).
    var interval: Double { 1 / perSecond }
    /// How far ahead of now a user's allowance may be spent and still admit a request, in seconds.
    var tolerance: Double { (burst - 1) / perSecond }
}
