//! Diesel queries statistics read: live signals (closed, or still open to hold a
//! month back), rollups, programmes, helpline codes and relay points.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{
    coverage_snapshots, helplines, programmes, relay_points, signal_month_facts, signal_rollups, signals,
};

/// A signal as statistics see it (live, or about to be rolled up): its
/// dimensions and durations, nothing that could identify anyone.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = signals)]
pub struct SignalFacts {
    pub id: String,
    #[diesel(select_expression = relay_points::programme_id, select_expression_type = relay_points::programme_id)]
    pub programme_id: String,
    pub created_at: NaiveDateTime,
    pub region: String,
    pub relay_kind: String,
    pub helpline_id: String,
    pub urgency: String,
    pub status: String,
    pub outcome: Option<String>,
    pub language: String,
    pub relay_training_status: String,
    pub first_attempt_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub minutes_to_first_attempt: Option<i32>,
    pub minutes_to_close: Option<i32>,
}

/// Signals filed in `[from, to)`, of one programme or all.
pub fn live_signals(
    conn: &mut AnyConnection,
    programme: Option<&str>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<SignalFacts>> {
    let mut q = signals::table
        .inner_join(relay_points::table)
        .filter(signals::created_at.ge(from))
        .filter(signals::created_at.lt(to))
        .select(SignalFacts::as_select())
        .into_boxed();
    if let Some(p) = programme {
        q = q.filter(relay_points::programme_id.eq(p.to_string()));
    }
    q.load(conn)
}

/// Runs `f`'s reads on one snapshot of the database, so that a signal the
/// retention job rolls up meanwhile is counted once: either still live or already
/// in its rollup, never both or neither. (SQLite: a read transaction in WAL mode;
/// PostgreSQL: `REPEATABLE READ`, since its default takes a snapshot per statement.)
pub fn on_one_snapshot<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.transaction(|c| {
        if let AnyConnection::Postgresql(pg) = c {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(pg)?;
        }
        f(c)
    })
}

/// Signals filed in `[from, to)` and still open, of one programme or all, as
/// (programme, filed at).
pub fn open_signals(
    conn: &mut AnyConnection,
    programme: Option<&str>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    let mut q = signals::table
        .inner_join(relay_points::table)
        .filter(signals::closed_at.is_null())
        .filter(signals::created_at.ge(from))
        .filter(signals::created_at.lt(to))
        .select((relay_points::programme_id, signals::created_at))
        .into_boxed();
    if let Some(p) = programme {
        q = q.filter(relay_points::programme_id.eq(p.to_string()));
    }
    q.load(conn)
}

/// Rollups of months `from..=to` (`YYYY-MM` sorts as text), of one programme or all.
pub fn rollups(conn: &mut AnyConnection, programme: Option<&str>, from: &str, to: &str) -> QueryResult<Vec<RollupRow>> {
    let mut q = signal_rollups::table
        .filter(signal_rollups::month.ge(from.to_string()))
        .filter(signal_rollups::month.le(to.to_string()))
        .select(RollupRow::as_select())
        .into_boxed();
    if let Some(p) = programme {
        q = q.filter(signal_rollups::programme_id.eq(p.to_string()));
    }
    q.load(conn)
}

/// Programmes as (id, code), by code: one, or all.
pub fn programmes(conn: &mut AnyConnection, only: Option<&str>) -> QueryResult<Vec<(String, String)>> {
    let mut q = programmes::table.select((programmes::id, programmes::code)).order(programmes::code.asc()).into_boxed();
    if let Some(p) = only {
        q = q.filter(programmes::id.eq(p.to_string()));
    }
    q.load(conn)
}

/// Helpline id → code (what statistics show for a helpline).
pub fn helpline_codes(conn: &mut AnyConnection) -> QueryResult<HashMap<String, String>> {
    Ok(helplines::table.select((helplines::id, helplines::code)).load::<(String, String)>(conn)?.into_iter().collect())
}

/// Active relay points of a programme as (id, region, kind).
pub fn active_relay_points(conn: &mut AnyConnection, programme: &str) -> QueryResult<Vec<(String, String, String)>> {
    relay_points::table
        .filter(relay_points::programme_id.eq(programme))
        .filter(relay_points::active.eq(true))
        .select((relay_points::id, relay_points::region, relay_points::kind))
        .load(conn)
}

/// Closed signals filed before `before`, oldest first.
pub fn rollup_inputs(conn: &mut AnyConnection, before: NaiveDateTime, limit: i64) -> QueryResult<Vec<SignalFacts>> {
    signals::table
        .inner_join(relay_points::table)
        .filter(signals::created_at.lt(before))
        .filter(signals::closed_at.is_not_null())
        .select(SignalFacts::as_select())
        .order((signals::created_at.asc(), signals::id.asc()))
        .limit(limit)
        .load(conn)
}

/// Serialises rollup batches across instances on PostgreSQL (a transaction-level
/// advisory lock): two batches merging into the same aggregate row at once could
/// otherwise overwrite each other's counts. SQLite's write transactions are
/// already exclusive (`BEGIN IMMEDIATE`).
pub fn lock_rollups(conn: &mut AnyConnection) -> QueryResult<()> {
    match conn {
        AnyConnection::Postgresql(c) => {
            diesel::sql_query("SELECT pg_advisory_xact_lock(1921300020)").execute(c).map(|_| ())
        }
        AnyConnection::Sqlite(_) => Ok(()),
    }
}

/// A `signal_rollups` row.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = signal_rollups)]
pub struct RollupRow {
    pub id: String,
    pub month: String,
    pub programme_id: String,
    pub region: String,
    pub relay_kind: String,
    pub helpline_id: String,
    pub urgency: String,
    pub outcome: String,
    pub language: String,
    pub relay_training_status: String,
    pub signals: i32,
    pub first_attempt_minutes: String,
    pub close_minutes: String,
    pub updated_at: NaiveDateTime,
}

/// The existing aggregate with the same dimensions as `key`, if any.
pub fn find_rollup(conn: &mut AnyConnection, key: &RollupRow) -> QueryResult<Option<RollupRow>> {
    signal_rollups::table
        .filter(signal_rollups::month.eq(&key.month))
        .filter(signal_rollups::programme_id.eq(&key.programme_id))
        .filter(signal_rollups::region.eq(&key.region))
        .filter(signal_rollups::relay_kind.eq(&key.relay_kind))
        .filter(signal_rollups::helpline_id.eq(&key.helpline_id))
        .filter(signal_rollups::urgency.eq(&key.urgency))
        .filter(signal_rollups::outcome.eq(&key.outcome))
        .filter(signal_rollups::language.eq(&key.language))
        .filter(signal_rollups::relay_training_status.eq(&key.relay_training_status))
        .select(RollupRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_rollup(conn: &mut AnyConnection, row: &RollupRow) -> QueryResult<usize> {
    diesel::insert_into(signal_rollups::table).values(row).execute(conn)
}

pub fn update_rollup(conn: &mut AnyConnection, row: &RollupRow) -> QueryResult<usize> {
    diesel::update(signal_rollups::table.find(&row.id))
        .set((
            signal_rollups::signals.eq(row.signals),
            signal_rollups::first_attempt_minutes.eq(&row.first_attempt_minutes),
            signal_rollups::close_minutes.eq(&row.close_minutes),
            signal_rollups::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
}

/// A `coverage_snapshots` row: active relay points of a programme on a day, by
/// region and training status.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = coverage_snapshots)]
pub struct CoverageSnapshotRow {
    pub day: NaiveDate,
    pub programme_id: String,
    pub region: String,
    pub training_status: String,
    pub relay_points: i32,
}

/// Replaces a programme's snapshot of `day` with `rows`.
pub fn replace_coverage_snapshot(
    conn: &mut AnyConnection,
    programme: &str,
    day: NaiveDate,
    rows: &[CoverageSnapshotRow],
) -> QueryResult<usize> {
    diesel::delete(
        coverage_snapshots::table
            .filter(coverage_snapshots::programme_id.eq(programme))
            .filter(coverage_snapshots::day.eq(day)),
    )
    .execute(conn)?;
    // One row at a time: batch inserts do not work over `MultiConnection` (and a
    // programme has at most twelve rows a day).
    rows.iter()
        .try_fold(0, |n, row| Ok(n + diesel::insert_into(coverage_snapshots::table).values(row).execute(conn)?))
}

/// Snapshots of days `from..=to`, of one programme or all, optionally of one
/// region, by day: one query whatever the span.
pub fn coverage_snapshots(
    conn: &mut AnyConnection,
    programme: Option<&str>,
    region: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<CoverageSnapshotRow>> {
    let mut q = coverage_snapshots::table
        .filter(coverage_snapshots::day.ge(from))
        .filter(coverage_snapshots::day.le(to))
        .select(CoverageSnapshotRow::as_select())
        .order((coverage_snapshots::day.asc(), coverage_snapshots::region.asc()))
        .into_boxed();
    if let Some(p) = programme {
        q = q.filter(coverage_snapshots::programme_id.eq(p.to_string()));
    }
    if let Some(r) = region {
        q = q.filter(coverage_snapshots::region.eq(r.to_string()));
    }
    q.load(conn)
}

/// A `signal_month_facts` row: the kept figures of one programme's final month.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = signal_month_facts)]
pub struct MonthFactsRow {
    pub programme_id: String,
    pub month: String,
    pub facts: String,
    pub computed_at: NaiveDateTime,
}

/// Kept months `from..=to` (`YYYY-MM`), of one programme or all.
pub fn month_facts(
    conn: &mut AnyConnection,
    programme: Option<&str>,
    from: &str,
    to: &str,
) -> QueryResult<Vec<MonthFactsRow>> {
    let mut q = signal_month_facts::table
        .filter(signal_month_facts::month.ge(from.to_string()))
        .filter(signal_month_facts::month.le(to.to_string()))
        .select(MonthFactsRow::as_select())
        .into_boxed();
    if let Some(p) = programme {
        q = q.filter(signal_month_facts::programme_id.eq(p.to_string()));
    }
    q.load(conn)
}

/// Keeps a final month's figures. Two requests may compute the same month at
/// once: the second finds the row there and leaves it (the figures are equal).
pub fn keep_month_facts(conn: &mut AnyConnection, row: &MonthFactsRow) -> QueryResult<()> {
    let exists = signal_month_facts::table.find((&row.programme_id, &row.month)).count().get_result::<i64>(conn)? > 0;
    if exists {
        return Ok(());
    }
    match diesel::insert_into(signal_month_facts::table).values(row).execute(conn) {
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(()),
        other => other.map(|_| ()),
    }
}
