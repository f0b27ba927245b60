/// How a Swift property name becomes a column name: the rule `@Table` applies (the macro target keeps
/// its own copy, since a macro plugin cannot import this module), shared by the row decoder's key
/// lookup and the model generator.
package enum ColumnNaming {
    /// `createdAt` → `created_at`, `userID` → `user_id`, `URLString` → `url_string`.
    package static func snakeCase(_ name: String) -> String {
        let chars = Array(name)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c.isUppercase, i > 0 {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    out.append("_")
                }
            }
            out.append(contentsOf: c.lowercased())
        }
        return out
    }
}
