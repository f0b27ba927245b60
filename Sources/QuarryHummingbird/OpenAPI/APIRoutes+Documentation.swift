import Hummingbird
public import OpenAPIKit

extension APIRoutes {
    /// The OpenAPI 3.1 document of every route added so far.
    ///
    /// ```swift
    /// let document = routes.openAPIDocument(title: "Posts API", version: "1.0.0")
    /// ```
    public func openAPIDocument(title: String, version: String, description: String? = nil) -> OpenAPI.Document {
        OpenAPIDocumentBuilder.document(
            title: title,
            version: version,
            description: description,
            operations: self.operations
        )
    }

    /// Serves the OpenAPI document of every route added so far (and of these two) at
    /// `documentPath`, and a self-contained page rendering it at `pagePath`. Call it after the
    /// last route.
    ///
    /// ```swift
    /// routes.addDocumentation(title: "Posts API", version: "1.0.0")   // /openapi.json, /docs
    /// ```
    public mutating func addDocumentation(
        title: String,
        version: String,
        description: String? = nil,
        documentPath: String = "/openapi.json",
        pagePath: String = "/docs"
    ) {
        self.document(
            APIOperation(
                method: .get,
                path: documentPath,
                summary: "This document",
                responseSchema: JSONSchema(.object([]))
            )
        )
        self.document(
            APIOperation(
                method: .get,
                path: pagePath,
                summary: "A page rendering this document",
                responseSchema: JSONSchema(.string),
                responseMediaType: "text/html"
            )
        )
        let document = self.openAPIDocument(title: title, version: version, description: description)
        // OpenAPIKit's types encode with Codable; JSONBodyEncoder keeps their key order.
        let body = (try? JSONBodyEncoder().encode(document)) ?? ByteBuffer(string: "{}")
        let page = ByteBuffer(string: DocsPage.html(documentPath: documentPath))
        self.router.get(RouterPath(documentPath)) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        self.router.get(RouterPath(pagePath)) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page))
        }
    }
}
