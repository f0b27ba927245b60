/// How a Swift property name becomes a column name, in one place for everything that applies the
/// rule: the `@Table` expansion (built for the compiler's host), the row decoder's key lookup and
/// the model generator.
///
/// ```swift
/// ColumnNaming.snakeCase("createdAt")  // "created_at"
/// ```
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
