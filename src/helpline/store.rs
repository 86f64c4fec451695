//! Diesel queries for the helpline queue and the work on a signal.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{call_attempts, outbox, relay_points, signal_contacts, signals};
use crate::signals::store::Signal;

/// A signal with its relay point's municipality, as helplines see it.
pub type CaseRow = (Signal, String);

pub fn find_case(conn: &mut AnyConnection, helpline: &str, reference: &str) -> QueryResult<Option<CaseRow>> {
    signals::table
        .inner_join(relay_points::table)
        .filter(signals::helpline_id.eq(helpline))
        .filter(signals::reference.eq(reference))
        .select((Signal::as_select(), relay_points::municipality))
        .first(conn)
        .optional()
}

/// The helpline's queue: open signals, most urgent first, then oldest. `after` is
/// the (priority, created_at, id) of the last row of the previous page.
pub fn queue(
    conn: &mut AnyConnection,
    helpline: &str,
    open: bool,
    after: Option<(i32, NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<CaseRow>> {
    let mut q = signals::table
        .inner_join(relay_points::table)
        .filter(signals::helpline_id.eq(helpline))
        .select((Signal::as_select(), relay_points::municipality))
        .order((signals::priority.asc(), signals::created_at.asc(), signals::id.asc()))
        .limit(limit)
        .into_boxed();
    q = if open { q.filter(signals::closed_at.is_null()) } else { q.filter(signals::closed_at.is_not_null()) };
    if let Some((p, at, id)) = after {
        q = q.filter(
            signals::priority
                .gt(p)
                .or(signals::priority.eq(p).and(signals::created_at.gt(at)))
                .or(signals::priority.eq(p).and(signals::created_at.eq(at)).and(signals::id.gt(id))),
        );
    }
    q.load(conn)
}

/// Takes the claim if the signal is open and unclaimed, claimed by `user`, or its
/// claim lapsed (`stale_before`). False when a colleague holds it.
pub fn claim(
    conn: &mut AnyConnection,
    id: &str,
    user: &str,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(signals::table.find(id).filter(signals::closed_at.is_null()).filter(
        signals::claimed_by.is_null().or(signals::claimed_by.eq(user)).or(signals::claim_activity_at.lt(stale_before)),
    ))
    .set((
        signals::claimed_by.eq(Some(user)),
        signals::claim_activity_at.eq(Some(now)),
        signals::status.eq("in_progress"),
        signals::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Drops the claim; the relay-facing status steps back to forwarded or received.
pub fn release(conn: &mut AnyConnection, s: &Signal, now: NaiveDateTime) -> QueryResult<usize> {
    let status = if s.forwarded_at.is_some() { "forwarded" } else { "received" };
    diesel::update(signals::table.find(&s.id))
        .set((
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::status.eq(status),
            signals::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn touch(conn: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(signals::table.find(id)).set(signals::claim_activity_at.eq(Some(now))).execute(conn)
}

#[derive(Insertable)]
#[diesel(table_name = call_attempts)]
pub struct NewCallAttempt<'a> {
    pub id: String,
    pub signal_id: &'a str,
    pub operator_id: &'a str,
    pub result: &'a str,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub outside_safe_windows: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert_attempt(conn: &mut AnyConnection, a: &NewCallAttempt<'_>) -> QueryResult<()> {
    diesel::insert_into(call_attempts::table).values(a).execute(conn)?;
    diesel::update(signals::table.find(a.signal_id).filter(signals::first_attempt_at.is_null()))
        .set(signals::first_attempt_at.eq(Some(a.created_at)))
        .execute(conn)?;
    touch(conn, a.signal_id, a.created_at).map(|_| ())
}

/// Deletes the contact row: its wrapped data key goes with it (crypto-shredding).
pub fn destroy_contact(conn: &mut AnyConnection, signal: &str) -> QueryResult<usize> {
    diesel::delete(signal_contacts::table.find(signal)).execute(conn)
}

/// Cancels deliveries not yet made (after a close or a transfer).
pub fn cancel_pending_deliveries(conn: &mut AnyConnection, signal: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox::table.filter(outbox::signal_id.eq(signal)).filter(outbox::status.eq_any(["pending", "in_flight"])),
    )
    .set((outbox::status.eq("cancelled"), outbox::updated_at.eq(now)))
    .execute(conn)
}

pub fn close(conn: &mut AnyConnection, id: &str, outcome: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(signals::table.find(id).filter(signals::closed_at.is_null()))
        .set((
            signals::closed_at.eq(Some(now)),
            signals::outcome.eq(Some(outcome)),
            signals::status.eq("completed"),
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn transfer(conn: &mut AnyConnection, id: &str, helpline: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(signals::table.find(id).filter(signals::closed_at.is_null()))
        .set((
            signals::helpline_id.eq(helpline),
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::forwarded_at.eq(None::<NaiveDateTime>),
            signals::escalated_at.eq(None::<NaiveDateTime>),
            signals::status.eq("received"),
            signals::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Open signals nobody has called yet and that were not escalated.
pub fn escalation_candidates(conn: &mut AnyConnection) -> QueryResult<Vec<Signal>> {
    signals::table
        .filter(signals::closed_at.is_null())
        .filter(signals::escalated_at.is_null())
        .filter(signals::first_attempt_at.is_null())
        .select(Signal::as_select())
        .load(conn)
}

/// Marks a signal escalated; false when another instance did it first.
pub fn mark_escalated(conn: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(signals::table.find(id).filter(signals::escalated_at.is_null()))
        .set(signals::escalated_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n == 1)
}
