import CLibPQ
import Foundation
import Testing

/// The proof that the leak check can fail: `deploy/dev leakcheck` runs this, in a run of its own under LeakSanitizer,
/// and expects that run to fail with LeakSanitizer's report of the results leaked here.
@Suite("LeakSanitizer reports a PGresult that is never cleared")
struct PlantedLeakTests {
    static let planting = ProcessInfo.processInfo.environment["RUNDIARY_LEAKCHECK_PLANT"] == "1"

    @Test(.enabled(if: planting, "runs only when deploy/dev leakcheck plants a leak, in a run that must fail"))
    func aPGresultThatIsNeverCleared() {
        // Several, each pointer overwriting the last, so that no stale register or stack slot keeps them all reachable.
        for _ in 0..<10 {
            let result = PQmakeEmptyPGresult(nil, PGRES_COMMAND_OK)
            #expect(result != nil)
        }
    }
}
