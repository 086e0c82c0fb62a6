import Foundation

/// A pair of shoes (or other gear) whose distance is tracked.
public struct Gear: DiaryRecord {
    public static let entity = EntityKind.gear

    public var id: UUID
    /// Not blank.
    public var name: String
    public var brand: String?
    public var model: String?
    public var startedOn: LocalDate?
    /// Not before `startedOn`.
    public var retiredOn: LocalDate?
    /// Distance already run before tracking started.
    public var initialDistanceMeters: Double?
    /// Distance after which the gear should be replaced.
    public var limitDistanceMeters: Double?

    public init(id: UUID = UUID(), name: String) {
        self.id = id
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case id, name, brand, model
        case startedOn = "started_on"
        case retiredOn = "retired_on"
        case initialDistanceMeters = "initial_distance_m"
        case limitDistanceMeters = "limit_distance_m"
    }
}
