import EarshotCore
import GRDB

// The core's value types as database values, declared here so the core stays free of GRDB:
// a `Timestamp` is its integer milliseconds, an id its integer row id.

extension Timestamp: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { millisecondsSinceEpoch.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> Timestamp? {
        Int64.fromDatabaseValue(value).map(Timestamp.init(millisecondsSinceEpoch:))
    }
}

extension EntityID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> EntityID? {
        Int64.fromDatabaseValue(value).map(EntityID.init)
    }
}
