// docs/migrations.md shows this migration (DocCodeBlockTests checks it); it is not in the list.
import Quarry

extension Migration {
    /// Data changes are Swift code (or `.sql` steps); give a checksum to have edits reported.
    static let backfillStock = Migration(
        "20261201_090000_backfill_stock",
        checksum: "v1",
        up: { db in
            try await db.execute(update(Book.self).set(\.stock, to: 1).where(\.stock == 0))
        },
        down: { _ in }  // nothing to undo: the old values are not kept
    )
}
