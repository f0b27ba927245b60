import Foundation
import Quarry
import QuarryTesting
import Testing

@Table("authors")
struct Author: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
}

@Table("articles")
struct Article: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(Author.self)) var authorId: Int64
    var title: String
}

@Table("remarks")
struct Remark: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(Article.self)) var articleId: Int64
    var text: String
}

extension Author: CascadingDelete {
    static let articles = HasMany<Author, Article>(\.authorId)
    static let cascadingDeletes: [DeleteCascade<Author>] = [.delete(Author.articles)]
}

extension Article: CascadingDelete {
    static let remarks = HasMany<Article, Remark>(\.articleId)
    static let cascadingDeletes: [DeleteCascade<Article>] = [.delete(Article.remarks)]
}

@Suite("Cascades")
struct CascadeTests {
    /// Deleting an author deletes their articles and the articles' remarks in the same flush,
    /// children first, three statements beside the author's; another author's rows stay.
    @Test(arguments: Backend.allCases)
    func deletingAParentDeletesTwoLevelsOfChildrenInOneFlush(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(Author.self, Article.self, Remark.self)
            let authors = try await engine.all(insert([Author(name: "gone"), Author(name: "kept")]).returning())
            let articles = try await engine.all(
                insert((0..<6).map { Article(authorId: authors[$0 % 2].id!, title: "a\($0)") }).returning()
            )
            try await engine.execute(
                insert(articles.flatMap { article in (0..<2).map { Remark(articleId: article.id!, text: "r\($0)") } })
            )

            let before = recorder.statements.count
            try await engine.withSession { session in
                let loaded = try #require(try await session.get(Article.self, id: articles[0].id!))
                #expect(loaded.authorId == authors[0].id)
                try session.delete(authors[0])
                try await session.commit()
                // The session forgot the deleted article it had loaded.
                #expect(try await session.get(Article.self, id: articles[0].id!) == nil)
            }
            let deletes = recorder.statements.dropFirst(before).filter { $0.hasPrefix("DELETE") }
            #expect(deletes.count == 3)
            #expect(deletes.first?.contains("remarks") == true && deletes.last?.contains("authors") == true)
            #expect(try await engine.all(select(Author.self)).map(\.name) == ["kept"])
            #expect(try await engine.scalar(select(count(), from: Article.self)) == 3)
            #expect(try await engine.scalar(select(count(), from: Remark.self)) == 6)
        }
    }
}
