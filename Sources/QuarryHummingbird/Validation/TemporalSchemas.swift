public import QuarryCore

// Dates, times and intervals in request and response types: strings with pydantic's formats,
// checked by the validator before decoding.

extension CalendarDate: JSONSchemaDescribing {
    /// `{"type": "string", "format": "date"}`.
    public static var jsonSchema: JSONSchema { JSONSchema(.string, format: "date") }
    public static var schemaPlaceholder: CalendarDate { CalendarDate(daysSince1970: 0) }
}

extension TimeOfDay: JSONSchemaDescribing {
    /// `{"type": "string", "format": "time"}`.
    public static var jsonSchema: JSONSchema { JSONSchema(.string, format: "time") }
    public static var schemaPlaceholder: TimeOfDay { .midnight }
}

extension Interval: JSONSchemaDescribing {
    /// `{"type": "string", "format": "duration"}` (ISO 8601).
    public static var jsonSchema: JSONSchema { JSONSchema(.string, format: "duration") }
    public static var schemaPlaceholder: Interval { Interval() }
}
