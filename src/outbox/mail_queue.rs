//! What every durable staff-mail queue (`account_mail`, `staff_alerts`) does with
//! its rows, written once: lease the due rows (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so several instances never take the same row; SQLite serialises
//! writers), and record the outcome of a sending attempt, deleting rows finished
//! long ago. The tables share these columns: `id`, `status` (`pending`,
//! `in_flight`, then `sent`, `skipped` or `dead`), `attempts`, `next_attempt_at`,
//! `locked_until`, `last_error`, `finished_at`. A macro, because diesel's tables
//! are distinct types with the same column names.

/// Defines `claim_due` and `record_attempt` for the queue table `$table` whose
/// read row is `$row`, leasing at most `$batch` rows and keeping finished rows
/// `$keep_hours` hours.
macro_rules! mail_queue_queries {
    ($table:ident, $row:ty, $batch:expr, $keep_hours:expr) => {
        /// Leases due rows: pending ones whose time has come, and in-flight ones
        /// whose lease ran out. Call inside a transaction.
        fn claim_due(
            c: &mut crate::db::AnyConnection,
            now: chrono::NaiveDateTime,
            lease_until: chrono::NaiveDateTime,
        ) -> diesel::QueryResult<Vec<$row>> {
            let due = $table::status
                .eq("pending")
                .and($table::next_attempt_at.le(now))
                .or($table::status.eq("in_flight").and($table::locked_until.lt(now)));
            let ids: Vec<String> = match c {
                crate::db::AnyConnection::Postgresql(pg) => $table::table
                    .filter(due)
                    .select($table::id)
                    .order($table::next_attempt_at.asc())
                    .limit($batch)
                    .for_update()
                    .skip_locked()
                    .load(pg)?,
                crate::db::AnyConnection::Sqlite(lite) => $table::table
                    .filter(due)
                    .select($table::id)
                    .order($table::next_attempt_at.asc())
                    .limit($batch)
                    .load(lite)?,
            };
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            diesel::update($table::table.filter($table::id.eq_any(&ids)))
                .set(($table::status.eq("in_flight"), $table::locked_until.eq(Some(lease_until))))
                .execute(c)?;
            $table::table.filter($table::id.eq_any(&ids)).select(<$row>::as_select()).load(c)
        }

        /// Records an attempt on a leased row (only while it is still in flight:
        /// a lease that ran out and was taken again is not overwritten), and
        /// deletes rows finished more than the keeping time ago.
        fn record_attempt(
            c: &mut crate::db::AnyConnection,
            id: &str,
            outcome: (&'static str, chrono::NaiveDateTime, Option<&'static str>),
            attempts: i32,
            now: chrono::NaiveDateTime,
        ) -> diesel::QueryResult<()> {
            let (status, next, error) = outcome;
            let finished = (status != "pending").then_some(now);
            diesel::update($table::table.find(id).filter($table::status.eq("in_flight")))
                .set((
                    $table::status.eq(status),
                    $table::attempts.eq(attempts),
                    $table::next_attempt_at.eq(next),
                    $table::locked_until.eq(None::<chrono::NaiveDateTime>),
                    $table::last_error.eq(error),
                    $table::finished_at.eq(finished),
                ))
                .execute(c)?;
            let old = now - chrono::Duration::hours($keep_hours);
            diesel::delete($table::table.filter($table::finished_at.lt(old))).execute(c)?;
            Ok(())
        }
    };
}

pub(crate) use mail_queue_queries;
