//! Diesel queries for signals, their encrypted contact, outbox rows and
//! idempotency records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{Outcome, Reference, Signal, SignalStatus, Urgency};
use crate::db::AnyConnection;
use crate::db::schema::{helplines, idempotency_keys, outbox, relay_points, signal_contacts, signals};
use crate::domain::{
    HelplineId, Language, ProgrammeId, Region, RelayKind, RelayPointId, SignalId, TrainingStatus, UserId,
};

fn corrupt(what: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(format!("corrupt signals.{what}").into())
}

impl TryFrom<SignalRow> for Signal {
    type Error = diesel::result::Error;
    fn try_from(r: SignalRow) -> QueryResult<Self> {
        let user =
            |v: Option<String>, what: &str| v.map(|v| UserId::parse(&v).ok_or_else(|| corrupt(what))).transpose();
        Ok(Signal {
            id: SignalId::parse(&r.id).ok_or_else(|| corrupt("id"))?,
            reference: Reference::parse(&r.reference).ok_or_else(|| corrupt("reference"))?,
            relay_point_id: RelayPointId::parse(&r.relay_point_id).ok_or_else(|| corrupt("relay_point_id"))?,
            submitted_by: UserId::parse(&r.submitted_by).ok_or_else(|| corrupt("submitted_by"))?,
            helpline_id: HelplineId::parse(&r.helpline_id).ok_or_else(|| corrupt("helpline_id"))?,
            urgency: r.urgency.parse::<Urgency>().map_err(|_| corrupt("urgency"))?,
            language: r.language.parse::<Language>().map_err(|_| corrupt("language"))?,
            status: r.status.parse::<SignalStatus>().map_err(|_| corrupt("status"))?,
            region: r.region.parse::<Region>().map_err(|_| corrupt("region"))?,
            relay_kind: r.relay_kind.parse::<RelayKind>().map_err(|_| corrupt("relay_kind"))?,
            relay_training_status: r
                .relay_training_status
                .parse::<TrainingStatus>()
                .map_err(|_| corrupt("relay_training_status"))?,
            expected_callback_at: r.expected_callback_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            forwarded_at: r.forwarded_at,
            claimed_by: user(r.claimed_by, "claimed_by")?,
            claim_activity_at: r.claim_activity_at,
            first_attempt_at: r.first_attempt_at,
            closed_at: r.closed_at,
            outcome: r.outcome.map(|o| o.parse::<Outcome>().map_err(|_| corrupt("outcome"))).transpose()?,
            escalated_at: r.escalated_at,
        })
    }
}

impl From<&Signal> for SignalRow {
    fn from(s: &Signal) -> Self {
        Self {
            id: s.id.to_string(),
            reference: s.reference.as_str().to_string(),
            relay_point_id: s.relay_point_id.to_string(),
            submitted_by: s.submitted_by.to_string(),
            helpline_id: s.helpline_id.to_string(),
            urgency: s.urgency.as_str().into(),
            priority: s.urgency.priority(),
            language: s.language.as_str().into(),
            status: s.status.as_str().into(),
            region: s.region.as_str().into(),
            relay_kind: s.relay_kind.as_str().into(),
            relay_training_status: s.relay_training_status.as_str().into(),
            expected_callback_at: s.expected_callback_at,
            created_at: s.created_at,
            updated_at: s.updated_at,
            forwarded_at: s.forwarded_at,
            claimed_by: s.claimed_by.map(|u| u.to_string()),
            claim_activity_at: s.claim_activity_at,
            first_attempt_at: s.first_attempt_at,
            closed_at: s.closed_at,
            outcome: s.outcome.map(|o| o.as_str().into()),
            escalated_at: s.escalated_at,
        }
    }
}

fn convert<T>(rows: Vec<(SignalRow, T)>) -> QueryResult<Vec<(Signal, T)>> {
    rows.into_iter().map(|(r, t)| Ok((Signal::try_from(r)?, t))).collect()
}

/// A `signals` row, read and written only here: the rest of the code sees
/// [`Signal`], converted once below.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = signals)]
struct SignalRow {
    pub id: String,
    pub reference: String,
    pub relay_point_id: String,
    pub submitted_by: String,
    pub helpline_id: String,
    pub urgency: String,
    /// Queue order: 0 for immediate danger, 10 for standard.
    pub priority: i32,
    pub language: String,
    pub status: String,
    pub region: String,
    pub relay_kind: String,
    pub relay_training_status: String,
    pub expected_callback_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub forwarded_at: Option<NaiveDateTime>,
    pub claimed_by: Option<String>,
    pub claim_activity_at: Option<NaiveDateTime>,
    pub first_attempt_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub escalated_at: Option<NaiveDateTime>,
}

/// The encrypted contact of a signal.
#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = signal_contacts)]
pub struct SignalContact {
    pub signal_id: String,
    pub key_id: String,
    pub wrapped_key: Vec<u8>,
    pub ciphertext: Vec<u8>,
    pub created_at: NaiveDateTime,
}

/// An outbox row to insert: work for the delivery worker, written with the signal.
#[derive(Insertable)]
#[diesel(table_name = outbox)]
pub struct NewOutboxRow<'a> {
    pub id: String,
    pub signal_id: &'a str,
    pub helpline_id: &'a str,
    pub channel: &'a str,
    pub event: &'a str,
    pub priority: i32,
    pub status: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A stored response to replay for a retried request.
#[derive(Queryable, Selectable, Insertable, Debug)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRecord {
    pub user_id: String,
    pub idem_key: String,
    pub request_mac: String,
    pub status_code: i32,
    pub response_body: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// What intake needs to know about the submitting relay point.
#[derive(Debug, Clone, Copy)]
pub struct RelayOrigin {
    pub programme_id: ProgrammeId,
    pub region: Region,
    pub postcode: u16,
    pub kind: RelayKind,
    pub active: bool,
}

pub fn relay_origin(conn: &mut AnyConnection, relay_point: RelayPointId) -> QueryResult<Option<RelayOrigin>> {
    let row: Option<(String, String, String, String, bool)> = relay_points::table
        .find(relay_point.to_string())
        .select((
            relay_points::programme_id,
            relay_points::region,
            relay_points::postcode,
            relay_points::kind,
            relay_points::active,
        ))
        .first(conn)
        .optional()?;
    let bad = |what: &str| diesel::result::Error::DeserializationError(format!("corrupt relay_points.{what}").into());
    row.map(|(programme_id, region, postcode, kind, active)| {
        Ok(RelayOrigin {
            programme_id: ProgrammeId::parse(&programme_id).ok_or_else(|| bad("programme_id"))?,
            region: region.parse().map_err(|_| bad("region"))?,
            postcode: postcode.parse().map_err(|_| bad("postcode"))?,
            kind: kind.parse().map_err(|_| bad("kind"))?,
            active,
        })
    })
    .transpose()
}

pub fn find_idempotency(
    conn: &mut AnyConnection,
    user: &str,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<IdempotencyRecord>> {
    idempotency_keys::table
        .find((user, key))
        .filter(idempotency_keys::expires_at.gt(now))
        .select(IdempotencyRecord::as_select())
        .first(conn)
        .optional()
}

/// Removes an expired record for this key so the key can be used again.
pub fn delete_expired_idempotency(
    conn: &mut AnyConnection,
    user: &str,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.find((user, key)).filter(idempotency_keys::expires_at.le(now))).execute(conn)
}

pub fn insert_idempotency(conn: &mut AnyConnection, rec: &IdempotencyRecord) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table).values(rec).execute(conn).map(|_| ())
}

pub fn count_recent_from_relay(conn: &mut AnyConnection, relay_point: &str, since: NaiveDateTime) -> QueryResult<i64> {
    signals::table
        .filter(signals::relay_point_id.eq(relay_point))
        .filter(signals::created_at.gt(since))
        .count()
        .get_result(conn)
}

/// The oldest signal of the relay inside the window (to compute `Retry-After`).
pub fn oldest_recent_from_relay(
    conn: &mut AnyConnection,
    relay_point: &str,
    since: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    signals::table
        .filter(signals::relay_point_id.eq(relay_point))
        .filter(signals::created_at.gt(since))
        .select(diesel::dsl::min(signals::created_at))
        .first(conn)
}

pub fn insert_signal(conn: &mut AnyConnection, s: &Signal) -> QueryResult<()> {
    diesel::insert_into(signals::table).values(SignalRow::from(s)).execute(conn).map(|_| ())
}

pub fn insert_contact(conn: &mut AnyConnection, c: &SignalContact) -> QueryResult<()> {
    diesel::insert_into(signal_contacts::table).values(c).execute(conn).map(|_| ())
}

pub fn insert_outbox(conn: &mut AnyConnection, row: &NewOutboxRow<'_>) -> QueryResult<()> {
    diesel::insert_into(outbox::table).values(row).execute(conn).map(|_| ())
}

/// A signal with the name and number of its helpline, as relays see it.
pub type SignalWithHelpline = (Signal, (String, String));

pub fn find_for_relay(
    conn: &mut AnyConnection,
    relay_point: RelayPointId,
    reference: &Reference,
) -> QueryResult<Option<SignalWithHelpline>> {
    let row = signals::table
        .inner_join(helplines::table)
        .filter(signals::relay_point_id.eq(relay_point.to_string()))
        .filter(signals::reference.eq(reference.as_str()))
        .select((SignalRow::as_select(), (helplines::name, helplines::public_phone)))
        .first(conn)
        .optional()?;
    Ok(convert(row.into_iter().collect())?.pop())
}

/// A page of the relay's signals, newest first, strictly before `before`
/// (`created_at`, `id`) when given.
pub fn list_for_relay(
    conn: &mut AnyConnection,
    relay_point: RelayPointId,
    status: Option<SignalStatus>,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<SignalWithHelpline>> {
    let mut q = signals::table
        .inner_join(helplines::table)
        .filter(signals::relay_point_id.eq(relay_point.to_string()))
        .select((SignalRow::as_select(), (helplines::name, helplines::public_phone)))
        .order((signals::created_at.desc(), signals::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(status) = status {
        q = q.filter(signals::status.eq(status.as_str()));
    }
    if let Some((at, id)) = before {
        q = q.filter(signals::created_at.lt(at).or(signals::created_at.eq(at).and(signals::id.lt(id))));
    }
    convert(q.load(conn)?)
}

pub fn find_contact(conn: &mut AnyConnection, signal: SignalId) -> QueryResult<Option<SignalContact>> {
    signal_contacts::table.find(signal.to_string()).select(SignalContact::as_select()).first(conn).optional()
}

pub fn find_by_id(conn: &mut AnyConnection, id: SignalId) -> QueryResult<Option<Signal>> {
    let row = signals::table.find(id.to_string()).select(SignalRow::as_select()).first(conn).optional()?;
    row.map(Signal::try_from).transpose()
}

/// Deletes the contact row: its wrapped data key goes with it (crypto-shredding).
pub fn destroy_contact(conn: &mut AnyConnection, signal: SignalId) -> QueryResult<usize> {
    diesel::delete(signal_contacts::table.find(signal.to_string())).execute(conn)
}

// The helpline's work on a signal: its queue, claims, attempts, close and
// transfer. Helplines reach these through `signals::service`.

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
    Ok(n == 1)
}

/// Drops the claim; the relay-facing status steps back to forwarded or received.
pub fn release(conn: &mut AnyConnection, s: &Signal, now: NaiveDateTime) -> QueryResult<usize> {
    let status = if s.forwarded_at.is_some() { SignalStatus::Forwarded } else { SignalStatus::Received };
    diesel::update(signals::table.find(s.id.to_string()))
        .set((
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::status.eq(status.as_str()),
            signals::updated_at.eq(now),
        ))
        .execute(conn)
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
    diesel::update(
        outbox::table
            .filter(outbox::signal_id.eq(signal.to_string()))
            .filter(outbox::status.eq_any(["pending", "in_flight"])),
    )
    .set((outbox::status.eq("cancelled"), outbox::updated_at.eq(now)))
    .execute(conn)
}

pub fn close(conn: &mut AnyConnection, id: SignalId, outcome: Outcome, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(signals::table.find(id.to_string()).filter(signals::closed_at.is_null()))
        .set((
            signals::closed_at.eq(Some(now)),
            signals::outcome.eq(Some(outcome.as_str())),
            signals::status.eq(SignalStatus::Completed.as_str()),
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn transfer(
    conn: &mut AnyConnection,
    id: SignalId,
    helpline: HelplineId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(signals::table.find(id.to_string()).filter(signals::closed_at.is_null()))
        .set((
            signals::helpline_id.eq(helpline.to_string()),
            signals::claimed_by.eq(None::<String>),
            signals::claim_activity_at.eq(None::<NaiveDateTime>),
            signals::forwarded_at.eq(None::<NaiveDateTime>),
            signals::escalated_at.eq(None::<NaiveDateTime>),
            signals::status.eq(SignalStatus::Received.as_str()),
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
    diesel::update(signals::table.find(&signal).filter(signals::status.eq(SignalStatus::Received.as_str())))
        .set((signals::status.eq(SignalStatus::Forwarded.as_str()), signals::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}
