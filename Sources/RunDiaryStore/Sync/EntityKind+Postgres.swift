import Postgres
import RunDiaryModels

/// An entity kind binds and decodes as its name (`run`, `pain_entry`, …), the form the tables store it in.
extension EntityKind: PostgresCodable, PostgresArrayElement {}
