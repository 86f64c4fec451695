//! Diesel queries for the outbox: claiming due rows (with `FOR UPDATE SKIP LOCKED`
//! on PostgreSQL so several instances never take the same row), recording attempts
//! and finishing rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::Delivery;
use crate::db::AnyConnection;
use crate::db::schema::{delivery_attempts, outbox};
use crate::domain::{HelplineId, SignalId};

/// An `outbox` row as the worker reads it.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = outbox)]
struct OutboxRow {
    id: String,
    signal_id: String,
    helpline_id: String,
    channel: String,
    event: String,
    attempts: i32,
    created_at: NaiveDateTime,
}

impl TryFrom<OutboxRow> for Delivery {
    type Error = diesel::result::Error;
    fn try_from(r: OutboxRow) -> QueryResult<Self> {
        let corrupt = |column: &str| crate::db::corrupt("outbox", column);
        Ok(Delivery {
            signal_id: SignalId::parse(&r.signal_id).ok_or_else(|| corrupt("signal_id"))?,
            helpline_id: HelplineId::parse(&r.helpline_id).ok_or_else(|| corrupt("helpline_id"))?,
            id: r.id,
            channel: r.channel,
            event: r.event,
            attempts: r.attempts,
            created_at: r.created_at,
        })
    }
}

/// Takes up to `limit` due rows and leases them until `lease_until`: pending rows
/// whose time has come, and in-flight rows whose lease ran out (their worker died).
/// Call inside a transaction.
pub fn claim_due(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Delivery>> {
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
    let rows: Vec<OutboxRow> =
        outbox::table.filter(outbox::id.eq_any(&ids)).select(OutboxRow::as_select()).order(order).load(conn)?;
    rows.into_iter().map(Delivery::try_from).collect()
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

/// Holds a leased row until a supervisor confirms its helpline's changed channels.
pub fn hold(conn: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq("in_flight")))
        .set((outbox::status.eq("held"), outbox::locked_until.eq(None::<NaiveDateTime>), outbox::updated_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Makes a helpline's held rows due now; returns how many.
pub fn release_held(conn: &mut AnyConnection, helpline: HelplineId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::helpline_id.eq(helpline.to_string())).filter(outbox::status.eq("held")))
        .set((outbox::status.eq("pending"), outbox::next_attempt_at.eq(now), outbox::updated_at.eq(now)))
        .execute(conn)
}

/// A dead-lettered delivery, with its signal's reference.
pub struct DeadRow {
    pub id: String,
    pub reference: String,
    pub helpline_id: String,
    pub channel: String,
    pub event: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub dead_at: NaiveDateTime,
}

/// Dead deliveries (of one helpline, or all), the most recently dead first;
/// `after` is the (updated_at, id) of the last row of the previous page.
pub fn dead_letters(
    conn: &mut AnyConnection,
    helpline: Option<HelplineId>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<DeadRow>> {
    use crate::db::schema::signals;
    let mut q = outbox::table
        .inner_join(signals::table)
        .filter(outbox::status.eq("dead"))
        .select((
            outbox::id,
            signals::reference,
            outbox::helpline_id,
            outbox::channel,
            outbox::event,
            outbox::attempts,
            outbox::last_error,
            outbox::created_at,
            outbox::updated_at,
        ))
        .order((outbox::updated_at.desc(), outbox::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(h) = helpline {
        q = q.filter(outbox::helpline_id.eq(h.to_string()));
    }
    if let Some((at, id)) = after {
        q = q.filter(outbox::updated_at.lt(at).or(outbox::updated_at.eq(at).and(outbox::id.lt(id))));
    }
    type Raw = (String, String, String, String, String, i32, Option<String>, NaiveDateTime, NaiveDateTime);
    let rows: Vec<Raw> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, reference, helpline_id, channel, event, attempts, last_error, created_at, dead_at)| DeadRow {
            id,
            reference,
            helpline_id,
            channel,
            event,
            attempts,
            last_error,
            created_at,
            dead_at,
        })
        .collect())
}

/// A delivery's helpline, signal and status.
pub fn delivery_owner(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<(String, String, String)>> {
    outbox::table.find(id).select((outbox::helpline_id, outbox::signal_id, outbox::status)).first(conn).optional()
}

/// Puts a dead delivery back in the queue, due now, with a fresh delivery
/// deadline (counted from now). False when it was not dead.
pub fn retry_dead(conn: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(outbox::table.find(id).filter(outbox::status.eq("dead")))
        .set((
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::created_at.eq(now),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}
