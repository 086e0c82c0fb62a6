import Foundation

/// Everything one run measured, and on what machine: printed as a table, or as JSON with `--json`.
struct BenchReport: Sendable, Encodable {
    let scale: BenchScale
    let machine: Machine
    var figures: [BenchFigure] = []
    var memory: [ScenarioMemory] = []
    var notes: [String] = []

    /// The machine the run was made on.
    struct Machine: Sendable, Encodable {
        let cores: Int
        let memoryGigabytes: Double
        let postgres: String

        enum CodingKeys: String, CodingKey {
            case cores
            case memoryGigabytes = "memory_gib"
            case postgres
        }
    }

    enum CodingKeys: String, CodingKey {
        case scale, machine, figures, memory, notes
    }

    mutating func add(_ figure: BenchFigure) {
        figures.append(figure)
    }
}

extension BenchReport.Machine {
    /// Cores and memory as the kernel reports them.
    static func current(postgres: String) -> BenchReport.Machine {
        BenchReport.Machine(
            cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGigabytes: Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30), postgres: postgres)
    }
}
