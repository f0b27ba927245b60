import Foundation
import Quarry
import QuarryTesting
import Testing

/// The reporting corpus (`CorpusReport.all`) on Chinook, on both backends: every report's typed
/// query and its hand-written SQL give the same rows, and neither is empty.
@Suite("Chinook query corpus")
struct ChinookCorpusTests {
    @Test func theCorpusIsLargeAndUsesWindowsAndCommonTables() {
        #expect(CorpusReport.all.count >= 60)
        #expect(CorpusReport.all.filter { $0.shape != .plain }.count >= 15)
        #expect(Set(CorpusReport.all.map(\.title)).count == CorpusReport.all.count)
    }

    @Test(arguments: Backend.allCases)
    func everyReportMatchesItsHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            for report in CorpusReport.all {
                do {
                    let typed = try await Self.rows(of: report.typed, in: db)
                    let sql = report.handWritten(HandWrittenDates(backend: backend))
                    let written = try await db.all(SQL(unsafeRaw: sql).readOnly()).map { $0.values.map(Self.text) }
                    #expect(!typed.isEmpty, "\(report.title): no rows")
                    #expect(typed == written, "\(report.title)")
                } catch {
                    Issue.record("\(report.title): \(error)")
                }
            }
        }
    }

    /// The typed query's rows: each is decoded with the query's own decoder (so its Swift result
    /// type is exercised), then kept as text for the comparison.
    static func rows<S: RowProducing>(of statement: S, in db: Engine) async throws -> [[String]] {
        try await db.all(CheckedRows(base: statement))
    }

    /// A value as comparable text: numbers of any storage (integer, double, decimal) compare by
    /// value to six places, so `SUM` read as `NUMERIC` on one side and `BIGINT` on the other agree.
    static func text(_ value: DatabaseValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let v): Self.number(Double(v))
        case .double(let v): Self.number(v)
        case .decimal(let v): Self.number(NSDecimalNumber(decimal: v).doubleValue)
        case .text(let v): v
        case .date(let v): "\(v.timeIntervalSince1970)"
        default: "\(value)"
        }
    }

    static func number(_ v: Double) -> String {
        let rounded = (v * 1_000_000).rounded() / 1_000_000
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
    }
}

/// A typed statement whose rows are decoded by its own decoder and returned as text.
private struct CheckedRows<Base: RowProducing>: RowProducing {
    let base: Base

    var kind: StatementKind { self.base.kind }

    func compile(into builder: inout SQLBuilder) throws { try self.base.compile(into: &builder) }

    func decode(_ row: Row) throws -> [String] {
        _ = try self.base.decode(row)
        return row.values.map(ChinookCorpusTests.text)
    }
}
