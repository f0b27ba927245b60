import QuarryHummingbird

/// Validates a JSON value against the subset of JSON Schema that `/openapi.json` uses: `$ref`,
/// `type` (object, array, string, integer, number, boolean, null), `properties`, `required`,
/// `items`, `anyOf`, `minimum`, `maximum`, `format: date-time`.
struct JSONSchemaValidator {
    let components: JSONValue

    /// Problems found, empty when `value` conforms.
    func problems(_ value: JSONValue, _ schema: JSONValue, path: String = "$") -> [String] {
        if case .string(let ref)? = schema["$ref"] {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let target = self.components[name] else { return ["\(path): unknown $ref \(ref)"] }
            return self.problems(value, target, path: path)
        }
        if case .array(let options)? = schema["anyOf"] {
            return options.contains { self.problems(value, $0, path: path).isEmpty }
                ? [] : ["\(path): matches no anyOf option"]
        }
        var found: [String] = []
        if case .string(let type)? = schema["type"] {
            let matches: Bool
            switch (type, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("integer", .int), ("boolean", .bool),
                ("null", .null):
                matches = true
            case ("number", .int), ("number", .double): matches = true
            default: matches = false
            }
            if !matches { return ["\(path): expected \(type), got \(value.serialized().prefix(60))"] }
        }
        if case .string("date-time")? = schema["format"], !isPydanticTimestamp(value) {
            found.append("\(path): not a date-time")
        }
        if case .int(let minimum)? = schema["minimum"], case .int(let v) = value, v < minimum {
            found.append("\(path): below minimum")
        }
        if case .int(let maximum)? = schema["maximum"], case .int(let v) = value, v > maximum {
            found.append("\(path): above maximum")
        }
        if case .object(let pairs) = value {
            if case .array(let required)? = schema["required"] {
                for case .string(let key) in required where !pairs.contains(where: { $0.0 == key }) {
                    found.append("\(path): missing \(key)")
                }
            }
            if case .object(let properties)? = schema["properties"] {
                for (key, propertySchema) in properties {
                    if let item = pairs.first(where: { $0.0 == key })?.1 {
                        found += self.problems(item, propertySchema, path: "\(path).\(key)")
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (i, item) in items.enumerated() { found += self.problems(item, itemSchema, path: "\(path)[\(i)]") }
        }
        return found
    }
}
