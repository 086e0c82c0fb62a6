/// A real conflict on one field: another device changed it after the version this device last saw, and the
/// values differ. Last-writer-wins picks the winner; the loser is reported so the server can keep it.
public struct FieldConflict: Codable, Hashable, Sendable {
    /// Which side of a conflict won.
    public enum Winner: String, Codable, Hashable, Sendable {
        /// The incoming mutation's value replaced the stored one.
        case mutation
        /// The stored value was kept.
        case stored
    }

    /// The wire name of the field.
    public var field: String
    /// The value the record now holds.
    public var winningValue: JSONValue
    /// The clock of the winning write.
    public var winningHLC: HLC
    /// The value that lost.
    public var losingValue: JSONValue
    /// The clock of the losing write.
    public var losingHLC: HLC
    /// Which side won.
    public var winner: Winner

    public init(
        field: String,
        winningValue: JSONValue,
        winningHLC: HLC,
        losingValue: JSONValue,
        losingHLC: HLC,
        winner: Winner
    ) {
        self.field = field
        self.winningValue = winningValue
        self.winningHLC = winningHLC
        self.losingValue = losingValue
        self.losingHLC = losingHLC
        self.winner = winner
    }

    enum CodingKeys: String, CodingKey {
        case field, winner
        case winningValue = "winning_value"
        case winningHLC = "winning_hlc"
        case losingValue = "losing_value"
        case losingHLC = "losing_hlc"
    }
}
