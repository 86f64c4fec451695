//! Diesel queries on signals for the helpline's work on them (queue, claims,
//! attempts, close, transfer, escalation) and for the delivery worker (the relay's
//! municipality, forwarding). Other capabilities reach these through
//! `signals::service`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{Outcome, Reference, Signal, SignalStatus};
use super::store::{SignalRow, convert};
use crate::db::AnyConnection;
use crate::db::schema::{outbox, relay_points, signals};
use crate::domain::{HelplineId, SignalId, UserId};

/// A signal with its relay point's municipality, as helplines see it.
pub type CaseRow = (Signal, String);

pub fn find_case(
    conn: &mut AnyConnection,
    helpline: HelplineId,
    reference: &Reference,
) -> QueryResult<Option<CaseRow>> {
    let row = signals::table
        .inner_join(relay_points::table)
        .filter(signals::helpline_id.eq(helpline.to_string()))
        .filter(signals::reference.eq(reference.as_str()))
        .select((SignalRow::as_select(), relay_points::municipality))
        .first(conn)
        .optional()?;
    Ok(convert(row.into_iter().collect())?.pop())
}

/// The helpline's queue: open signals, most urgent first, then oldest. `after` is
/// the (priority, created_at, id) of the last row of the previous page.
pub fn queue(
    conn: &mut AnyConnection,
    helpline: HelplineId,
    open: bool,
    after: Option<(i32, NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<CaseRow>> {
    let mut q = signals::table
        .inner_join(relay_points::table)
        .filter(signals::helpline_id.eq(helpline.to_string()))
        .select((SignalRow::as_select(), relay_points::municipality))
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
    convert(q.load(conn)?)
}

/// Takes the claim if the signal is open and unclaimed, claimed by `user`, or its
/// claim lapsed (`stale_before`). False when a colleague holds it.
pub fn claim(
    conn: &mut AnyConnection,
    id: SignalId,
    user: UserId,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
) -> QueryResult<bool> {
    let user = user.to_string();
    let before = status_of(conn, id)?;
    let n = diesel::update(signals::table.find(id.to_string()).filter(signals::closed_at.is_null()).filter(
        signals::claimed_by.is_null().or(signals::claimed_by.eq(&user)).or(signals::claim_activity_at.lt(stale_before)),
    ))
    .set((
        signals::claimed_by.eq(Some(&user)),
        signals::claim_activity_at.eq(Some(now)),
        signals::status.eq(SignalStatus::InProgress.as_str()),
        signals::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 1 {
        pushed_if_changed(conn, id, before.as_deref(), SignalStatus::InProgress, now)?;
    }
    Ok(n == 1)
}

/// The stored status of a signal.
fn status_of(conn: &mut AnyConnection, id: SignalId) -> QueryResult<Option<String>> {
    signals::table.find(id.to_string()).select(signals::status).first(conn).optional()
}

/// Queues a push to the relay's devices when the status the relay sees changed
/// (see `push`): the push says only that a status changed.
fn pushed_if_changed(
    conn: &mut AnyConnection,
    id: SignalId,
    before: Option<&str>,
    after: SignalStatus,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if before != Some(after.as_str()) {
        crate::push::service::status_changed(conn, &id.to_string(), now)?;
    }
    Ok(())
}

/// Drops the claim; the relay-facing status steps back to forwarded or received.
pub fn release(conn: &mut AnyConnection, s: &Signal, now: NaiveDateTime) -> QueryResult<usize> {
    let status = if s.forwarded_at.is_some() { SignalStatus::Forwarded } else { SignalStatus::Received };
    let before = status_of(conn, s.id)?;
    let n = diesel::update(signals::table.find(s.id.to_string()))
        .set((
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::status.eq(status.as_str()),
            signals::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 1 {
        pushed_if_changed(conn, s.id, before.as_deref(), status, now)?;
    }
    Ok(n)
}

/// Keeps the claim alive.
pub fn touch(conn: &mut AnyConnection, id: SignalId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(signals::table.find(id.to_string())).set(signals::claim_activity_at.eq(Some(now))).execute(conn)
}

/// Records that a call was attempted at `at` (the first one counts for the
/// statistics) and keeps the claim alive.
pub fn note_attempt(conn: &mut AnyConnection, id: SignalId, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(signals::table.find(id.to_string()).filter(signals::first_attempt_at.is_null()))
        .set(signals::first_attempt_at.eq(Some(at)))
        .execute(conn)?;
    touch(conn, id, at).map(|_| ())
}

/// Cancels deliveries not yet made (after a close, an expiry or a transfer).
pub fn cancel_pending_deliveries(conn: &mut AnyConnection, signal: SignalId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::signal_id.eq(signal.to_string())).filter(outbox::status.eq_any([
        "pending",
        "in_flight",
        "held",
    ])))
    .set((outbox::status.eq("cancelled"), outbox::updated_at.eq(now)))
    .execute(conn)
}

pub fn close(conn: &mut AnyConnection, id: SignalId, outcome: Outcome, now: NaiveDateTime) -> QueryResult<usize> {
    let n = diesel::update(signals::table.find(id.to_string()).filter(signals::closed_at.is_null()))
        .set((
            signals::closed_at.eq(Some(now)),
            signals::outcome.eq(Some(outcome.as_str())),
            signals::status.eq(SignalStatus::Completed.as_str()),
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 1 {
        crate::push::service::status_changed(conn, &id.to_string(), now)?;
    }
    Ok(n)
}

/// Withdraws an open signal for its relay point, if no helpline works on it: no
/// live claim (none, or one idle since before `stale_before`) and no call attempt.
/// False when that no longer holds (checked in the same statement, so a claim taken
/// meanwhile wins).
pub fn withdraw(
    conn: &mut AnyConnection,
    id: SignalId,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        signals::table
            .find(id.to_string())
            .filter(signals::closed_at.is_null())
            .filter(signals::first_attempt_at.is_null())
            .filter(signals::claimed_by.is_null().or(signals::claim_activity_at.lt(stale_before))),
    )
    .set((
        signals::closed_at.eq(Some(now)),
        signals::outcome.eq(None::<String>),
        signals::status.eq(SignalStatus::Withdrawn.as_str()),
        signals::claimed_by.eq(None::<String>),
        signals::claim_activity_at.eq(None::<NaiveDateTime>),
        signals::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn transfer(
    conn: &mut AnyConnection,
    id: SignalId,
    helpline: HelplineId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let before = status_of(conn, id)?;
    let n = diesel::update(signals::table.find(id.to_string()).filter(signals::closed_at.is_null()))
        .set((
            signals::helpline_id.eq(helpline.to_string()),
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::forwarded_at.eq(None::<NaiveDateTime>),
            signals::escalated_at.eq(None::<NaiveDateTime>),
            signals::status.eq(SignalStatus::Received.as_str()),
            signals::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 1 {
        pushed_if_changed(conn, id, before.as_deref(), SignalStatus::Received, now)?;
    }
    Ok(n)
}

/// Open signals nobody has called yet and that were not escalated.
pub fn escalation_candidates(conn: &mut AnyConnection) -> QueryResult<Vec<Signal>> {
    signals::table
        .filter(signals::closed_at.is_null())
        .filter(signals::escalated_at.is_null())
        .filter(signals::first_attempt_at.is_null())
        .select(SignalRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Signal::try_from)
        .collect()
}

/// Marks a signal escalated; false when another instance did it first.
pub fn mark_escalated(conn: &mut AnyConnection, id: SignalId, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(signals::table.find(id.to_string()).filter(signals::escalated_at.is_null()))
        .set(signals::escalated_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n == 1)
}

// What the delivery worker reads and records.

/// Municipality of the relay point that filed the signal.
pub fn relay_municipality(conn: &mut AnyConnection, signal: SignalId) -> QueryResult<String> {
    signals::table
        .inner_join(relay_points::table)
        .filter(signals::id.eq(signal.to_string()))
        .select(relay_points::municipality)
        .first(conn)
}

/// After a first delivery, the relay sees `forwarded` (unless work already started).
pub fn mark_forwarded(conn: &mut AnyConnection, signal: SignalId, now: NaiveDateTime) -> QueryResult<()> {
    let signal = signal.to_string();
    diesel::update(signals::table.find(&signal).filter(signals::forwarded_at.is_null()))
        .set(signals::forwarded_at.eq(Some(now)))
        .execute(conn)?;
    let n = diesel::update(signals::table.find(&signal).filter(signals::status.eq(SignalStatus::Received.as_str())))
        .set((signals::status.eq(SignalStatus::Forwarded.as_str()), signals::updated_at.eq(now)))
        .execute(conn)?;
    if n == 1 {
        crate::push::service::status_changed(conn, &signal, now)?;
    }
    Ok(())
}

/// Which cases of the queue by their claim (a lapsed claim counts as none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimScope {
    Any,
    Unclaimed,
    Mine(UserId),
    Others(UserId),
}

/// The queue (as `queue`), keeping only the cases whose claim matches `claim`;
/// claims active after `live_since` count.
pub fn queue_by_claim(
    conn: &mut AnyConnection,
    helpline: HelplineId,
    open: bool,
    claim: ClaimScope,
    live_since: NaiveDateTime,
    after: Option<(i32, NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<CaseRow>> {
    let mut q = signals::table
        .inner_join(relay_points::table)
        .filter(signals::helpline_id.eq(helpline.to_string()))
        .select((SignalRow::as_select(), relay_points::municipality))
        .order((signals::priority.asc(), signals::created_at.asc(), signals::id.asc()))
        .limit(limit)
        .into_boxed();
    q = if open { q.filter(signals::closed_at.is_null()) } else { q.filter(signals::closed_at.is_not_null()) };
    let live = signals::claimed_by.is_not_null().and(signals::claim_activity_at.gt(live_since));
    q = match claim {
        ClaimScope::Any => q,
        ClaimScope::Unclaimed => q.filter(
            signals::claimed_by
                .is_null()
                .or(signals::claim_activity_at.is_null())
                .or(signals::claim_activity_at.le(live_since)),
        ),
        ClaimScope::Mine(me) => q.filter(live).filter(signals::claimed_by.eq(me.to_string())),
        ClaimScope::Others(me) => q.filter(live).filter(signals::claimed_by.ne(me.to_string())),
    };
    if let Some((p, at, id)) = after {
        q = q.filter(
            signals::priority
                .gt(p)
                .or(signals::priority.eq(p).and(signals::created_at.gt(at)))
                .or(signals::priority.eq(p).and(signals::created_at.eq(at)).and(signals::id.gt(id))),
        );
    }
    convert(q.load(conn)?)
}

/// Gives the claim of an open signal to `user`, whoever held it (a supervisor's
/// reassignment). False when the signal is closed.
pub fn assign(conn: &mut AnyConnection, id: SignalId, user: UserId, now: NaiveDateTime) -> QueryResult<bool> {
    let before = status_of(conn, id)?;
    let n = diesel::update(signals::table.find(id.to_string()).filter(signals::closed_at.is_null()))
        .set((
            signals::claimed_by.eq(Some(user.to_string())),
            signals::claim_activity_at.eq(Some(now)),
            signals::status.eq(SignalStatus::InProgress.as_str()),
            signals::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 1 {
        pushed_if_changed(conn, id, before.as_deref(), SignalStatus::InProgress, now)?;
    }
    Ok(n == 1)
}

/// (filed, first attempt, outcome) of a signal.
pub type TimelineRow = (NaiveDateTime, Option<NaiveDateTime>, Option<String>);

/// What a helpline's figures are made of: (filed, first attempt, outcome) of its
/// signals filed since `since`.
pub fn helpline_timeline(
    conn: &mut AnyConnection,
    helpline: HelplineId,
    since: NaiveDateTime,
) -> QueryResult<Vec<TimelineRow>> {
    signals::table
        .filter(signals::helpline_id.eq(helpline.to_string()))
        .filter(signals::created_at.ge(since))
        .select((signals::created_at, signals::first_attempt_at, signals::outcome))
        .load(conn)
}
