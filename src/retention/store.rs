//! Diesel queries of the retention job. Every change is conditional (`WHERE
//! closed_at IS NULL`, `WHERE expiry_warned_at IS NULL`, …) so that several
//! instances running the job at once do each thing once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::{HelplineId, SignalId};
use crate::signals::model::Reference;

use crate::db::AnyConnection;
use crate::db::schema::{
    audit_log, call_attempts, delivery_attempts, idempotency_keys, outbox, signal_contacts, signals,
};

/// Ids of closed signals that still hold a contact (close destroys it; this is
/// the safety net for anything that slipped through).
pub fn closed_with_contact(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<SignalId>> {
    signal_ids(
        signals::table
            .inner_join(signal_contacts::table)
            .filter(signals::closed_at.is_not_null())
            .select(signals::id)
            .limit(limit)
            .load(conn)?,
    )
}

fn signal_ids(ids: Vec<String>) -> QueryResult<Vec<SignalId>> {
    ids.iter().map(|id| SignalId::parse(id).ok_or_else(|| corrupt("id"))).collect()
}

/// An open signal nearing or past its contact's maximum life.
#[derive(Debug, Clone)]
pub struct OpenSignal {
    pub id: SignalId,
    pub reference: Reference,
    pub helpline_id: HelplineId,
    pub created_at: NaiveDateTime,
}

fn corrupt(column: &str) -> diesel::result::Error {
    crate::db::corrupt("signals", column)
}

/// Open signals filed in `(after, up_to]` whose supervisors were not warned yet.
pub fn due_for_warning(
    conn: &mut AnyConnection,
    up_to: NaiveDateTime,
    after: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OpenSignal>> {
    signals::table
        .filter(signals::closed_at.is_null())
        .filter(signals::expiry_warned_at.is_null())
        .filter(signals::created_at.le(up_to))
        .filter(signals::created_at.gt(after))
        .select((signals::id, signals::reference, signals::helpline_id, signals::created_at))
        .order(signals::created_at.asc())
        .limit(limit)
        .load::<(String, String, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, reference, helpline_id, created_at)| {
            Ok(OpenSignal {
                id: SignalId::parse(&id).ok_or_else(|| corrupt("id"))?,
                reference: Reference::parse(&reference).ok_or_else(|| corrupt("reference"))?,
                helpline_id: HelplineId::parse(&helpline_id).ok_or_else(|| corrupt("helpline_id"))?,
                created_at,
            })
        })
        .collect()
}

/// Claims the warning of one signal; false when another run already did.
pub fn claim_warning(conn: &mut AnyConnection, id: SignalId, now: NaiveDateTime) -> QueryResult<bool> {
    let id = id.to_string();
    let n = diesel::update(signals::table.find(&id).filter(signals::expiry_warned_at.is_null()))
        .set(signals::expiry_warned_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Gives a warning back when no supervisor could be mailed, so the next run retries.
pub fn release_warning(conn: &mut AnyConnection, id: SignalId) -> QueryResult<usize> {
    let id = id.to_string();
    diesel::update(signals::table.find(&id)).set(signals::expiry_warned_at.eq(None::<NaiveDateTime>)).execute(conn)
}

/// Open signals filed at or before `before`: their contact has reached its maximum life.
pub fn open_filed_before(conn: &mut AnyConnection, before: NaiveDateTime, limit: i64) -> QueryResult<Vec<SignalId>> {
    signal_ids(
        signals::table
            .filter(signals::closed_at.is_null())
            .filter(signals::created_at.le(before))
            .select(signals::id)
            .order(signals::created_at.asc())
            .limit(limit)
            .load(conn)?,
    )
}

/// Marks an open signal `expired`: closed now, no outcome, no claim.
pub fn expire(conn: &mut AnyConnection, id: SignalId, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(signals::table.find(id.to_string()).filter(signals::closed_at.is_null()))
        .set((
            signals::status.eq("expired"),
            signals::closed_at.eq(Some(now)),
            signals::outcome.eq(None::<String>),
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 1 {
        crate::push::service::status_changed(conn, &id.to_string(), now)?;
    }
    Ok(n == 1)
}

/// What minimising a closed signal needs to read.
#[derive(Debug, Clone)]
pub struct ClosedTimes {
    pub id: SignalId,
    pub created_at: NaiveDateTime,
    pub first_attempt_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

/// Closed signals without a contact that still carry their detailed metadata.
pub fn to_minimise(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<ClosedTimes>> {
    signals::table
        .left_join(signal_contacts::table)
        .filter(signal_contacts::signal_id.is_null())
        .filter(signals::closed_at.is_not_null())
        .filter(signals::minimised.eq(false))
        .select((signals::id, signals::created_at, signals::first_attempt_at, signals::closed_at))
        .limit(limit)
        .load::<(String, NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(id, created_at, first_attempt_at, closed_at)| {
            Ok(ClosedTimes {
                id: SignalId::parse(&id).ok_or_else(|| corrupt("id"))?,
                created_at,
                first_attempt_at,
                closed_at,
            })
        })
        .collect()
}

/// What a minimised signal keeps: its day (as the Brussels midnight it fell on),
/// and the two durations statistics need. Everything operational is cleared.
pub struct Minimised {
    pub day: NaiveDateTime,
    pub closed_day: NaiveDateTime,
    pub minutes_to_first_attempt: Option<i32>,
    pub minutes_to_close: Option<i32>,
}

pub fn minimise(conn: &mut AnyConnection, id: SignalId, m: &Minimised) -> QueryResult<usize> {
    let id = id.to_string();
    diesel::delete(call_attempts::table.filter(call_attempts::signal_id.eq(&id))).execute(conn)?;
    diesel::update(signals::table.find(&id).filter(signals::minimised.eq(false)))
        .set((
            signals::created_at.eq(m.day),
            signals::expected_callback_at.eq(m.day),
            signals::closed_at.eq(Some(m.closed_day)),
            signals::updated_at.eq(m.closed_day),
            signals::first_attempt_at.eq(None::<NaiveDateTime>),
            signals::forwarded_at.eq(None::<NaiveDateTime>),
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::escalated_at.eq(None::<NaiveDateTime>),
            signals::expiry_warned_at.eq(None::<NaiveDateTime>),
            signals::minutes_to_first_attempt.eq(m.minutes_to_first_attempt),
            signals::minutes_to_close.eq(m.minutes_to_close),
            signals::minimised.eq(true),
        ))
        .execute(conn)
}

/// Deletes signals and every row that points at them.
pub fn delete_signals(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<usize> {
    let deliveries = outbox::table.filter(outbox::signal_id.eq_any(ids)).select(outbox::id);
    diesel::delete(delivery_attempts::table.filter(delivery_attempts::outbox_id.eq_any(deliveries))).execute(conn)?;
    diesel::delete(outbox::table.filter(outbox::signal_id.eq_any(ids))).execute(conn)?;
    diesel::delete(call_attempts::table.filter(call_attempts::signal_id.eq_any(ids))).execute(conn)?;
    diesel::delete(audit_log::table.filter(audit_log::signal_id.eq_any(ids))).execute(conn)?;
    diesel::delete(signal_contacts::table.filter(signal_contacts::signal_id.eq_any(ids))).execute(conn)?;
    diesel::delete(signals::table.filter(signals::id.eq_any(ids))).execute(conn)
}

pub fn purge_idempotency(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::expires_at.le(now))).execute(conn)
}

pub fn purge_audit(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(audit_log::table.filter(audit_log::created_at.lt(before))).execute(conn)
}

/// Deletes up to `limit` finished deliveries last touched before `before`, with
/// their attempt log; returns how many deliveries went.
pub fn purge_deliveries(conn: &mut AnyConnection, before: NaiveDateTime, limit: i64) -> QueryResult<usize> {
    let ids: Vec<String> = outbox::table
        .filter(outbox::status.eq_any(["delivered", "dead", "cancelled"]))
        .filter(outbox::updated_at.lt(before))
        .select(outbox::id)
        .limit(limit)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::delete(delivery_attempts::table.filter(delivery_attempts::outbox_id.eq_any(&ids))).execute(conn)?;
    diesel::delete(outbox::table.filter(outbox::id.eq_any(&ids))).execute(conn)
}
