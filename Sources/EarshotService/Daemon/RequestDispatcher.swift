import EarshotCore
import Foundation

/// Serves one request line for an identified client: finds its type by `method`, decodes its
/// params, has it handled, and encodes the answer (cut to fit one message where it can be).
/// Every check (who may do what) happens in the handler's service call, never in the client.
struct RequestDispatcher {
    let context: RequestContext

    /// The message to send back: the answer, or an error with the request's id.
    func answer(id: RequestID, method: String, line: [UInt8]) -> [UInt8] {
        guard let type = Inbox.byMethod[method] else {
            return Self.error(id, InboxError(.unknownMethod, "no method \"\(ServiceError.quoted(method))\"; see docs/protocol.md"))
        }
        return serve(type, id: id, line: line)
    }

    private func serve<Request: InboxRequest>(_ type: Request.Type, id: RequestID, line: [UInt8]) -> [UInt8] {
        let request: Request
        do {
            request = try WireProtocol.decode(RequestParams<Request>.self, line).request
        } catch let error as DecodingError {
            return Self.error(id, .badParams(Request.method, error, sent: try? JSONSerialization.jsonObject(with: Data(line))))
        } catch {
            return Self.error(id, InboxError(.badRequest, "\(Request.method): \(error) (docs/protocol.md)"))
        }
        let response: Request.Response
        do {
            response = try request.handle(in: context)
        } catch {
            return Self.error(id, InboxError(handling: error))
        }
        do {
            var encoded = try WireProtocol.line(ResponseMessage(id: id, result: response))
            if encoded.count > ResponseBudget.bytes, let cut = ResponseBudget.cut(response) {
                encoded = try WireProtocol.line(ResponseMessage(id: id, result: cut, partial: true))
            }
            // Still over the client's limit: refused rather than sent, the client could not read it.
            guard encoded.count <= WireProtocol.maximumMessageBytes else {
                return Self.error(id, InboxError(.tooLarge,
                    "the answer to \(Request.method) is \(encoded.count) bytes, over the \(WireProtocol.maximumMessageBytes)-byte message limit; ask for less (a smaller limit)"))
            }
            return encoded
        } catch {
            return Self.error(id, InboxError(.internal, "the answer to \(Request.method) could not be encoded: \(error)"))
        }
    }

    static func error(_ id: RequestID?, _ error: InboxError) -> [UInt8] {
        (try? WireProtocol.line(ErrorMessage(id: id, error: error))) ?? Array(#"{"error":{"code":"internal","message":"unencodable error"}}"#.utf8) + [0x0A]
    }
}
