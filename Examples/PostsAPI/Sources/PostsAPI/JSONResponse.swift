import Hummingbird
import QuarryHummingbird

/// A JSON body with a status: what every route returns.
struct JSONResponse: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var body: JSONValue

    init(_ status: HTTPResponse.Status = .ok, _ body: JSONValue) {
        self.status = status
        self.body = body
    }

    func response(from request: Request, context: some RequestContext) -> Response {
        if self.status == .noContent { return Response(status: .noContent) }
        return Response(
            status: self.status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: self.body.byteBuffer)
        )
    }
}
