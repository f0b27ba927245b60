// docs/migrations.md shows this file verbatim (DocCodeBlockTests checks it).
import Quarry

@Table("authors")
struct Author: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.unique) var email: String
}

@Table("books")
struct Book: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(Author.self), .onDelete(.cascade), .indexed) var authorId: Int64
    var title: String
    @Column(.type(.numeric(precision: 10, scale: 2))) var price: Decimal
    var subtitle: String?
    @Column(.default(0)) var stock: Int64
}

extension Book: ConstrainedTable {
    static let constraints: [TableConstraint<Book>] = [.unique(\.authorId, \.title)]
}

/// The app's migrations, oldest first, and the models they must produce.
enum AppSchema {
    static let migrations: [Migration] = [
        .m20261129122835CreateAuthorsAndBooks,
        .m20261129122851BookSubtitlesAndStock,
    ]
    static let models: [any Table.Type] = [Author.self, Book.self]
}
