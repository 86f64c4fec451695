//! Diesel queries for signals, their encrypted contact, outbox rows and
//! idempotency records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{helplines, idempotency_keys, outbox, relay_points, signal_contacts, signals};

/// A `signals` row as read.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, Default)]
#[diesel(table_name = signals)]
pub struct Signal {
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
#[derive(Queryable, Debug)]
pub struct RelayOrigin {
    pub programme_id: String,
    pub region: String,
    pub postcode: String,
    pub kind: String,
    pub active: bool,
}

pub fn relay_origin(conn: &mut AnyConnection, relay_point: &str) -> QueryResult<Option<RelayOrigin>> {
    relay_points::table
        .find(relay_point)
        .select((
            relay_points::programme_id,
            relay_points::region,
            relay_points::postcode,
            relay_points::kind,
            relay_points::active,
        ))
        .first(conn)
        .optional()
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
    diesel::insert_into(signals::table).values(s).execute(conn).map(|_| ())
}

pub fn insert_contact(conn: &mut AnyConnection, c: &SignalContact) -> QueryResult<()> {
    diesel::insert_into(signal_contacts::table).values(c).execute(conn).map(|_| ())
}

pub fn insert_outbox(conn: &mut AnyConnection, row: &NewOutboxRow<'_>) -> QueryResult<()> {
    diesel::insert_into(outbox::table).values(row).execute(conn).map(|_| ())
}

/// A signal with the name and number of its helpline, as relays see it.
pub type SignalWithHelpline = (Signal, String, String);

pub fn find_for_relay(
    conn: &mut AnyConnection,
    relay_point: &str,
    reference: &str,
) -> QueryResult<Option<SignalWithHelpline>> {
    signals::table
        .inner_join(helplines::table)
        .filter(signals::relay_point_id.eq(relay_point))
        .filter(signals::reference.eq(reference))
        .select((Signal::as_select(), helplines::name, helplines::public_phone))
        .first(conn)
        .optional()
}

/// A page of the relay's signals, newest first, strictly before `before`
/// (`created_at`, `id`) when given.
pub fn list_for_relay(
    conn: &mut AnyConnection,
    relay_point: &str,
    status: Option<&str>,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<SignalWithHelpline>> {
    let mut q = signals::table
        .inner_join(helplines::table)
        .filter(signals::relay_point_id.eq(relay_point))
        .select((Signal::as_select(), helplines::name, helplines::public_phone))
        .order((signals::created_at.desc(), signals::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(status) = status {
        q = q.filter(signals::status.eq(status.to_string()));
    }
    if let Some((at, id)) = before {
        q = q.filter(signals::created_at.lt(at).or(signals::created_at.eq(at).and(signals::id.lt(id))));
    }
    q.load(conn)
}

pub fn find_contact(conn: &mut AnyConnection, signal: &str) -> QueryResult<Option<SignalContact>> {
    signal_contacts::table.find(signal).select(SignalContact::as_select()).first(conn).optional()
}

pub fn find_by_id(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Signal>> {
    signals::table.find(id).select(Signal::as_select()).first(conn).optional()
}
