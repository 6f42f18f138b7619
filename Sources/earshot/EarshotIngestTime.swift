import EarshotCore
import EarshotIngest

/// The one ISO 8601 parser, shared with ingest so that times read the same everywhere.
enum EarshotIngestTime {
    static func parse(_ text: String) -> (Timestamp, TimestampParsing.Zone)? { TimestampParsing.iso8601(text) }
}
