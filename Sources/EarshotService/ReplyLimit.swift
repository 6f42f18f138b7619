import EarshotCore

/// The 140 rule as the service enforces it on send, whatever the client showed: twitter-text's
/// version-1 count of the whole reply, signature included (docs/length.md).
enum ReplyLimit {
    /// Refuses a reply (signature included) that does not fit, saying by how much.
    static func check(_ full: String, signature: String) throws {
        let measured = ReplyLength.measure(full)
        switch measured.reason {
        case nil:
            return
        case .tooLong:
            throw ServiceError.invalid(
                "the reply is \(measured.weightedLength) characters with your signature \"\(signature.trimmingCharacters(in: .whitespaces))\"; "
                    + "the limit is \(ReplyLength.maximum): shorten it by \(-measured.remaining)")
        case .invalidCharacter:
            throw ServiceError.invalid("the reply holds U+FFFE, U+FEFF or U+FFFF, which no platform accepts; remove it")
        case .empty:
            throw ServiceError.invalid("a reply needs some text")
        }
    }
}
