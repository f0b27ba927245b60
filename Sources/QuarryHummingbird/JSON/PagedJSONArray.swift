public import Hummingbird
import NIOCore

/// A JSON array response read and written a page at a time, so a long list costs the server one
/// page of memory and holds a pooled connection only while each page is read.
///
/// Each read asks for one element more than `pageSize`, which says whether another page follows
/// without a read that comes back empty. The handler reads the first page itself, inside its
/// request session: a database that is down, a pool timeout or a bad query still becomes an
/// ordinary error response (503, 500, …). A first read of at most `pageSize` elements is the whole
/// list and is sent as one buffer with a `Content-Length`. Otherwise the response is chunked:
/// after the first page the body asks `nextPage` for the elements after the last one it wrote
/// (keyset pagination, each page its own statement, and the response body waits while the client
/// is slow to read), until a read returns no more than `pageSize`. A
/// failure after the first page can no longer change the status: the server ends the connection
/// without the closing chunk, which HTTP clients report as an incomplete response.
///
/// Pages after the first are separate reads, each with its own snapshot, like successive queries
/// of any `READ COMMITTED` session: a row added concurrently beyond the last one written appears,
/// a row deleted concurrently beyond it does not.
///
/// ```swift
/// router.get("/user/:id/posts") { _, context in
///     let id = try context.parameters.require("id", as: Int64.self)
///     let page = { (after: Int64) in select(Post.self).where(\.userId == id && \.id > after).orderBy(\.id).limit(256 + 1) }
///     let engine = try context.db.engine
///     return PagedJSONArray(firstPage: try await context.db.all(page(0)), pageSize: 256, encode: \.json) { last in
///         try await engine.all(page(last.id!))
///     }
/// }
/// ```
public struct PagedJSONArray<Element: Sendable>: ResponseGenerator, Sendable {
    /// Where the array stands in the response body.
    public enum Placement: Sendable {
        /// The array is the whole body.
        case body
        /// The array is the last member, `key`, of an object whose other members come first:
        /// `.lastMember(key: "posts", after: [("user", user.json)])` writes `{"user":{…},"posts":[…]}`.
        case lastMember(key: String, after: [(String, JSONValue)])
    }

    /// The first read: up to `pageSize + 1` elements.
    public let firstPage: [Element]
    /// Elements per page; each read asks for one more, to learn whether a page follows.
    public let pageSize: Int
    let placement: Placement
    /// Appends one element's JSON.
    let write: @Sendable (Element, inout ByteBuffer) throws -> Void
    let nextPage: @Sendable (_ after: Element) async throws -> [Element]

    /// - Parameters:
    ///   - firstPage: The first `pageSize + 1` elements (or fewer: then they are all there is).
    ///   - pageSize: Elements per page; reads ask for `pageSize + 1`.
    ///   - placement: The whole body (the default), or the last member of an object.
    ///   - encode: One element's JSON.
    ///   - nextPage: Reads up to `pageSize + 1` elements following `after`, in the list's order.
    public init(
        firstPage: [Element],
        pageSize: Int,
        placement: Placement = .body,
        encode: @escaping @Sendable (Element) throws -> JSONValue,
        nextPage: @escaping @Sendable (_ after: Element) async throws -> [Element]
    ) {
        self.init(
            firstPage: firstPage,
            pageSize: pageSize,
            placement: placement,
            write: { element, buffer in try encode(element).write(into: &buffer) },
            nextPage: nextPage
        )
    }

    init(
        firstPage: [Element],
        pageSize: Int,
        placement: Placement,
        write: @escaping @Sendable (Element, inout ByteBuffer) throws -> Void,
        nextPage: @escaping @Sendable (_ after: Element) async throws -> [Element]
    ) {
        self.firstPage = firstPage
        self.pageSize = pageSize
        self.placement = placement
        self.write = write
        self.nextPage = nextPage
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var head = ByteBuffer()
        if case .lastMember(let key, let members) = self.placement {
            head.writeInteger(UInt8(ascii: "{"))
            for (name, value) in members {
                JSONValue.string(name).write(into: &head)
                head.writeInteger(UInt8(ascii: ":"))
                value.write(into: &head)
                head.writeInteger(UInt8(ascii: ","))
            }
            JSONValue.string(key).write(into: &head)
            head.writeInteger(UInt8(ascii: ":"))
        }
        head.writeInteger(UInt8(ascii: "["))
        guard let last = try self.append(self.firstPage, to: &head, afterFirst: false) else {
            self.close(&head)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: head))
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody { [self, head] writer in
                try await writer.write(head)
                var last = last
                while true {
                    var chunk = ByteBuffer()
                    guard let pageLast = try self.append(try await self.nextPage(last), to: &chunk, afterFirst: true)
                    else {
                        self.close(&chunk)
                        try await writer.write(chunk)
                        break
                    }
                    try await writer.write(chunk)
                    last = pageLast
                }
                try await writer.finish(nil)
            }
        )
    }

    /// Writes a read's first `pageSize` elements; returns the last one written when the read had
    /// more (so another page follows), `nil` when it was the end of the list.
    private func append(_ read: [Element], to buffer: inout ByteBuffer, afterFirst: Bool) throws -> Element? {
        for (index, element) in read.prefix(self.pageSize).enumerated() {
            if afterFirst || index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            try self.write(element, &buffer)
        }
        return read.count > self.pageSize ? read[self.pageSize - 1] : nil
    }

    private func close(_ buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "]"))
        if case .lastMember = self.placement { buffer.writeInteger(UInt8(ascii: "}")) }
    }
}

extension PagedJSONArray where Element: Encodable {
    /// A paged array of `Encodable` elements, each written by ``JSONBodyEncoder``.
    ///
    /// ```swift
    /// PagedJSONArray(firstPage: firstPosts, pageSize: 50) { last in
    ///     try await engine.all(select(Post.self).where(\.id > last.id!).orderBy(\.id).limit(51))
    /// }
    /// ```
    public init(
        firstPage: [Element],
        pageSize: Int,
        placement: Placement = .body,
        nextPage: @escaping @Sendable (_ after: Element) async throws -> [Element]
    ) {
        let encoder = JSONBodyEncoder()
        self.init(
            firstPage: firstPage,
            pageSize: pageSize,
            placement: placement,
            write: { element, buffer in try encoder.encode(element, into: &buffer) },
            nextPage: nextPage
        )
    }
}
