import EarshotCore
import Foundation

/// The 140 rule as the service enforces it on send, whatever the client showed.
enum ReplyLimit {
    static let maximum = 140

    /// Refuses a reply (signature included) that does not fit, saying by how much.
    static func check(_ full: String, signature: String) throws {
        // Replaced by twitter-text counting (ReplyLength) when the counter lands.
        let length = full.precomposedStringWithCanonicalMapping.unicodeScalars.count
        guard length <= maximum else {
            throw ServiceError.invalid(
                "the reply is \(length) characters with your signature \"\(signature.trimmingCharacters(in: .whitespaces))\"; "
                    + "the limit is \(maximum): shorten it by \(length - maximum)")
        }
    }
}
