import Foundation

/// The fields and cross-field rules of one entity kind: the single source for validation, typed models and
/// the store's columns and CHECK constraints.
public struct EntitySchema: Sendable {
    /// Names that are never fields: the record id travels beside the fields, and the server alone sets the rest.
    public static let reservedNames: Set<String> = [
        "id", "user_id", "version", "created_at", "updated_at", "deleted", "deleted_at",
    ]

    /// The entity kind described.
    public let entity: EntityKind
    /// The fields, in display and column order.
    public let fields: [FieldSpec]
    /// Rules across fields.
    public let rules: [FieldRule]

    private let fieldsByName: [String: FieldSpec]
    /// The reference fields, in name order, with the kind each names.
    private let referenceFields: [(name: String, target: EntityKind)]

    init(_ entity: EntityKind, fields: [FieldSpec], rules: [FieldRule] = []) {
        self.entity = entity
        self.fields = fields
        self.rules = rules
        self.fieldsByName = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
        self.referenceFields = fields.compactMap { field in
            guard case .reference(let target) = field.type else { return nil }
            return (field.name, target)
        }.sorted { $0.name < $1.name }
    }

    /// The records `values` (a mutation's fields) point to: each reference field set to an id, in field-name order,
    /// with the kind of record it must name. Client and server check these against their copies of the diary
    /// (`invalid_reference`), reporting the first that fails, so both report the same field.
    public func references(in values: [String: JSONValue]) -> [(field: String, target: EntityKind, id: UUID)] {
        referenceFields.compactMap { field in
            guard let text = values[field.name]?.stringValue, let id = UUID(text: text) else { return nil }
            return (field.name, field.target, id)
        }
    }

    /// The field with the wire name, if the entity has one.
    public func field(named name: String) -> FieldSpec? {
        fieldsByName[name]
    }

    /// The names of the fields a create must set.
    public var requiredFieldNames: [String] {
        fields.filter(\.isRequired).map(\.name)
    }

    /// The schema of an entity kind.
    public static func schema(for entity: EntityKind) -> EntitySchema {
        switch entity {
        case .run: run
        case .painEntry: painEntry
        case .plan: plan
        case .planItem: planItem
        case .exerciseLog: exerciseLog
        case .gear: gear
        }
    }
}

extension EntitySchema {
    static let notesLength = 4000
    static let titleLength = 200
}
