//! Diesel queries for the outbox: claiming due rows (with `FOR UPDATE SKIP LOCKED`
//! on PostgreSQL so several instances never take the same row), recording attempts
//! and finishing rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{delivery_attempts, outbox, relay_points, signals};

/// An `outbox` row.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub signal_id: String,
    pub helpline_id: String,
    pub channel: String,
    pub event: String,
    pub priority: i32,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Takes up to `limit` due rows and leases them until `lease_until`: pending rows
/// whose time has come, and in-flight rows whose lease ran out (their worker died).
/// Call inside a transaction.
pub fn claim_due(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let due = outbox::status
        .eq("pending")
        .and(outbox::next_attempt_at.le(now))
        .or(outbox::status.eq("in_flight").and(outbox::locked_until.lt(now)));
    let order = (outbox::priority.asc(), outbox::next_attempt_at.asc());
    let ids: Vec<String> = match conn {
        AnyConnection::Postgresql(pg) => outbox::table
            .filter(due)
            .select(outbox::id)
            .order(order)
            .limit(limit)
            .for_update()
            .skip_locked()
            .load(pg)?,
        // SQLite has one writer at a time (and `Db::write` serialises ours).
        AnyConnection::Sqlite(lite) => {
            outbox::table.filter(due).select(outbox::id).order(order).limit(limit).load(lite)?
        }
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set((outbox::status.eq("in_flight"), outbox::locked_until.eq(Some(lease_until)), outbox::updated_at.eq(now)))
        .execute(conn)?;
    outbox::table.filter(outbox::id.eq_any(&ids)).select(OutboxRow::as_select()).order(order).load(conn)
}

/// Municipality of the relay point that filed the signal.
pub fn municipality(conn: &mut AnyConnection, signal: &str) -> QueryResult<String> {
    signals::table
        .inner_join(relay_points::table)
        .filter(signals::id.eq(signal))
        .select(relay_points::municipality)
        .first(conn)
}

#[derive(Insertable)]
#[diesel(table_name = delivery_attempts)]
pub struct NewDeliveryAttempt<'a> {
    pub id: String,
    pub outbox_id: &'a str,
    pub attempted_at: NaiveDateTime,
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
}

pub fn record_attempt(conn: &mut AnyConnection, a: &NewDeliveryAttempt<'_>) -> QueryResult<()> {
    diesel::insert_into(delivery_attempts::table).values(a).execute(conn).map(|_| ())
}

/// Finishes a leased row, unless it was cancelled meanwhile (signal closed or
/// transferred). Returns false when the row was no longer ours.
pub fn finish(
    conn: &mut AnyConnection,
    id: &str,
    status: &str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    error: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let delivered_at = (status == "delivered").then_some(now);
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq("in_flight")))
        .set((
            outbox::status.eq(status),
            outbox::attempts.eq(attempts),
            outbox::next_attempt_at.eq(next_attempt_at),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error),
            outbox::delivered_at.eq(delivered_at),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// After a first delivery, the relay sees `forwarded` (unless work already started).
pub fn mark_forwarded(conn: &mut AnyConnection, signal: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(signals::table.find(signal).filter(signals::forwarded_at.is_null()))
        .set(signals::forwarded_at.eq(Some(now)))
        .execute(conn)?;
    diesel::update(signals::table.find(signal).filter(signals::status.eq("received")))
        .set((signals::status.eq("forwarded"), signals::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}
