import Foundation
import RunDiaryModels
import Testing

@Suite("HybridLogicalClock send and receive rules")
struct HybridLogicalClockTests {
    private let base = HLC.at(0, on: Device.phone).physicalMillis

    @Test("a local event takes the wall time and resets the counter when the wall time moved on")
    func nowFollowsWallTime() {
        var clock = HybridLogicalClock(node: Device.phone)
        #expect(clock.now(physicalMillis: base) == HLC(physicalMillis: base, counter: 0, node: Device.phone))
        #expect(clock.now(physicalMillis: base + 5) == HLC(physicalMillis: base + 5, counter: 0, node: Device.phone))
    }

    @Test("within one millisecond, or when the wall clock goes back, the counter increases")
    func nowNeverGoesBack() {
        var clock = HybridLogicalClock(node: Device.phone)
        let first = clock.now(physicalMillis: base + 10)
        let second = clock.now(physicalMillis: base + 10)
        let third = clock.now(physicalMillis: base)
        #expect(second == HLC(physicalMillis: base + 10, counter: 1, node: Device.phone))
        #expect(third == HLC(physicalMillis: base + 10, counter: 2, node: Device.phone))
        #expect(first < second && second < third)
        #expect(clock.latest == third)
    }

    @Test("receiving a clock ahead of us adopts its time with the next counter")
    func receiveAhead() {
        var clock = HybridLogicalClock(node: Device.phone)
        _ = clock.now(physicalMillis: base)
        let remote = HLC(physicalMillis: base + 100, counter: 7, node: Device.tablet)
        #expect(clock.receive(remote, physicalMillis: base + 1) == HLC(physicalMillis: base + 100, counter: 8, node: Device.phone))
    }

    @Test("receiving at the same millisecond as both clocks takes the larger counter plus one")
    func receiveEqualTimes() {
        var clock = HybridLogicalClock(node: Device.phone, latest: HLC(physicalMillis: base, counter: 3, node: Device.phone))
        let remote = HLC(physicalMillis: base, counter: 9, node: Device.tablet)
        #expect(clock.receive(remote, physicalMillis: base) == HLC(physicalMillis: base, counter: 10, node: Device.phone))
        let older = HLC(physicalMillis: base, counter: 1, node: Device.tablet)
        #expect(clock.receive(older, physicalMillis: base) == HLC(physicalMillis: base, counter: 11, node: Device.phone))
    }

    @Test("receiving an older clock never moves the clock backwards")
    func receiveOlder() {
        var clock = HybridLogicalClock(node: Device.phone, latest: HLC(physicalMillis: base + 50, counter: 2, node: Device.phone))
        let remote = HLC(physicalMillis: base + 10, counter: 40, node: Device.tablet)
        #expect(clock.receive(remote, physicalMillis: base + 20) == HLC(physicalMillis: base + 50, counter: 3, node: Device.phone))
    }

    @Test("when the wall clock is ahead of both, a receive takes it with counter zero")
    func receiveWallAhead() {
        var clock = HybridLogicalClock(node: Device.phone, latest: HLC(physicalMillis: base, counter: 2, node: Device.phone))
        let remote = HLC(physicalMillis: base + 1, counter: 5, node: Device.tablet)
        #expect(clock.receive(remote, physicalMillis: base + 9) == HLC(physicalMillis: base + 9, counter: 0, node: Device.phone))
    }

    @Test("counter overflow carries into the next millisecond")
    func overflow() {
        var clock = HybridLogicalClock(node: Device.phone, latest: HLC(physicalMillis: base, counter: .max, node: Device.phone))
        #expect(clock.now(physicalMillis: base) == HLC(physicalMillis: base + 1, counter: 0, node: Device.phone))
        let remote = HLC(physicalMillis: base + 1, counter: .max, node: Device.tablet)
        #expect(clock.receive(remote, physicalMillis: base) == HLC(physicalMillis: base + 2, counter: 0, node: Device.phone))
    }

    @Test("issued clocks strictly increase and exceed every received clock (seeded)")
    func monotonic() {
        var random = SplitMix64(seed: 7)
        var clock = HybridLogicalClock(node: Device.phone)
        var previous: HLC?
        var wall = base
        for _ in 0..<5000 {
            wall += Int64.random(in: -20...20, using: &random)
            let issued: HLC
            if Bool.random(using: &random) {
                let remote = HLC(
                    physicalMillis: wall + Int64.random(in: -50...50, using: &random),
                    counter: UInt16.random(in: 0...UInt16.max, using: &random),
                    node: Device.tablet
                )
                issued = clock.receive(remote, physicalMillis: wall)
                #expect(issued > remote)
            } else {
                issued = clock.now(physicalMillis: wall)
            }
            if let previous { #expect(issued > previous) }
            #expect(issued.node == Device.phone)
            previous = issued
        }
    }

    @Test("the system-clock convenience reads the current time")
    func systemClock() {
        var clock = HybridLogicalClock(node: Device.watch)
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let issued = clock.now()
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect((before - 1...after + 1).contains(issued.physicalMillis))
    }
}
