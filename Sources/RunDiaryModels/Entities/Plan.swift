import Foundation

/// A training plan or a rehab programme, such as one a physical therapist prescribed.
public struct Plan: DiaryRecord {
    public static let entity = EntityKind.plan

    public var id: UUID
    public var kind: PlanKind
    /// Not blank.
    public var title: String
    public var goal: String?
    public var authorRole: AuthorRole?
    public var authorName: String?
    public var status: PlanStatus?
    public var startDate: LocalDate?
    /// Not before `startDate`.
    public var endDate: LocalDate?
    /// The highest acceptable pain during activity, 0 … 10; see ``effectivePainCeiling``.
    public var painCeiling: Int?
    public var notes: String?

    public init(id: UUID = UUID(), kind: PlanKind, title: String) {
        self.id = id
        self.kind = kind
        self.title = title
    }

    /// The pain ceiling, or the default of 5 when the plan sets none.
    public var effectivePainCeiling: Int {
        painCeiling ?? Int(EntitySchema.defaultPainCeiling)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, title, goal, status, notes
        case authorRole = "author_role"
        case authorName = "author_name"
        case startDate = "start_date"
        case endDate = "end_date"
        case painCeiling = "pain_ceiling"
    }
}
