public import QuarryCore

extension Select where From: Table, Output == From {
    /// Selects each row with the number of its children, without loading them (a correlated
    /// `COUNT(*)` subquery).
    ///
    /// ```swift
    /// let authors = try await engine.all(select(User.self).counting(User.posts))
    /// authors[0].0.name; authors[0].1   // the user, how many posts
    /// ```
    public func counting<Child>(_ relation: HasMany<From, Child>) -> Select<From, (From, Int64)> {
        let matches = columnsEqual(Child.schema.name, relation.foreignKeys, From.schema.name, relation.parentKeys)
        return self.appending(select(count(), from: Child.self).where(matches).asScalar())
    }
}
