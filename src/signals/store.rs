//! Diesel queries for signals, their encrypted contact, outbox rows and
//! idempotency records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{Outcome, Reference, Signal, SignalStatus, Urgency};
use crate::crypto::{KeyUsage, LEGACY_WRAPPED_LEN, Sealed, WrappedKey};
use crate::db::AnyConnection;
use crate::db::schema::{
    fingerprint_keys, helplines, idempotency_keys, outbox, relay_points, signal_contacts, signals,
};
use crate::domain::{
    HelplineId, Language, ProgrammeId, Region, RelayKind, RelayPointId, SignalId, TrainingStatus, UserId,
};

fn corrupt(column: &str) -> diesel::result::Error {
    crate::db::corrupt("signals", column)
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

pub(super) fn convert<T>(rows: Vec<(SignalRow, T)>) -> QueryResult<Vec<(Signal, T)>> {
    rows.into_iter().map(|(r, t)| Ok((Signal::try_from(r)?, t))).collect()
}

/// A `signals` row, read and written only here: the rest of the code sees
/// [`Signal`], converted once below.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = signals)]
pub(super) struct SignalRow {
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
    /// The safe call windows alone (JSON), outside the seal: see `call_windows_of`.
    pub call_windows: Option<String>,
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
#[derive(Debug, Clone)]
pub struct RelayOrigin {
    pub programme_id: ProgrammeId,
    pub name: String,
    pub region: Region,
    pub postcode: u16,
    pub kind: RelayKind,
    pub active: bool,
}

pub fn relay_origin(conn: &mut AnyConnection, relay_point: RelayPointId) -> QueryResult<Option<RelayOrigin>> {
    let row: Option<(String, String, String, String, String, bool)> = relay_points::table
        .find(relay_point.to_string())
        .select((
            relay_points::programme_id,
            relay_points::name,
            relay_points::region,
            relay_points::postcode,
            relay_points::kind,
            relay_points::active,
        ))
        .first(conn)
        .optional()?;
    let bad = |column: &str| crate::db::corrupt("relay_points", column);
    row.map(|(programme_id, name, region, postcode, kind, active)| {
        Ok(RelayOrigin {
            programme_id: ProgrammeId::parse(&programme_id).ok_or_else(|| bad("programme_id"))?,
            name,
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

/// The record of this key, expired or not (one read: intake answers a live one
/// with a replay, and removes an expired one in its write).
pub fn find_idempotency_any(conn: &mut AnyConnection, user: &str, key: &str) -> QueryResult<Option<IdempotencyRecord>> {
    idempotency_keys::table.find((user, key)).select(IdempotencyRecord::as_select()).first(conn).optional()
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

pub fn count_recent_from_relay(
    conn: &mut AnyConnection,
    relay_point: RelayPointId,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    signals::table
        .filter(signals::relay_point_id.eq(relay_point.to_string()))
        .filter(signals::created_at.gt(since))
        .count()
        .get_result(conn)
}

/// The oldest signal of the relay inside the window (to compute `Retry-After`).
pub fn oldest_recent_from_relay(
    conn: &mut AnyConnection,
    relay_point: RelayPointId,
    since: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    signals::table
        .filter(signals::relay_point_id.eq(relay_point.to_string()))
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

// Key rotation: the wrapped data keys of contacts, page by page, and their
// re-wrapping. An update only touches a row still holding the key that was read,
// so a contact destroyed (or re-sealed) meanwhile is never written back.

/// Contacts' wrapped keys after `after` (by signal id), `limit` at most.
pub fn contact_keys_after(conn: &mut AnyConnection, after: &str, limit: i64) -> QueryResult<Vec<(String, WrappedKey)>> {
    let rows: Vec<(String, String, Vec<u8>)> = signal_contacts::table
        .filter(signal_contacts::signal_id.gt(after))
        .order(signal_contacts::signal_id.asc())
        .limit(limit)
        .select((signal_contacts::signal_id, signal_contacts::key_id, signal_contacts::wrapped_key))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, key_id, wrapped_key)| (id, WrappedKey { key_id, wrapped_key })).collect())
}

/// Replaces a contact's wrapped key if it is still `old`; true when it was.
pub fn rewrap_contact(conn: &mut AnyConnection, id: &str, old: &WrappedKey, new: &WrappedKey) -> QueryResult<bool> {
    let n = diesel::update(
        signal_contacts::table
            .filter(signal_contacts::signal_id.eq(id))
            .filter(signal_contacts::key_id.eq(&old.key_id))
            .filter(signal_contacts::wrapped_key.eq(&old.wrapped_key)),
    )
    .set((signal_contacts::key_id.eq(&new.key_id), signal_contacts::wrapped_key.eq(&new.wrapped_key)))
    .execute(conn)?;
    Ok(n == 1)
}

/// How many contacts each master key wraps, and how many of them are in the
/// format before purpose keys.
pub fn contact_key_usage(conn: &mut AnyConnection) -> QueryResult<Vec<KeyUsage>> {
    let all: Vec<(String, i64)> = signal_contacts::table
        .group_by(signal_contacts::key_id)
        .select((signal_contacts::key_id, diesel::dsl::count_star()))
        .load(conn)?;
    let legacy: Vec<(String, i64)> = signal_contacts::table
        .filter(crate::db::length_is("wrapped_key", LEGACY_WRAPPED_LEN))
        .group_by(signal_contacts::key_id)
        .select((signal_contacts::key_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(KeyUsage::merge(all, legacy))
}

/// The sealed key of the idempotency fingerprints, if created.
pub fn find_fingerprint_key(conn: &mut AnyConnection) -> QueryResult<Option<Sealed>> {
    let row: Option<(String, Vec<u8>, Vec<u8>)> = fingerprint_keys::table
        .find(FINGERPRINT_KEY_ID)
        .select((fingerprint_keys::key_id, fingerprint_keys::wrapped_key, fingerprint_keys::ciphertext))
        .first(conn)
        .optional()?;
    Ok(row.map(|(key_id, wrapped_key, ciphertext)| Sealed { key_id, wrapped_key, ciphertext }))
}

/// Stores a new fingerprint key (a unique violation when another instance created
/// one first).
pub fn insert_fingerprint_key(conn: &mut AnyConnection, sealed: &Sealed, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::insert_into(fingerprint_keys::table)
        .values((
            fingerprint_keys::id.eq(FINGERPRINT_KEY_ID),
            fingerprint_keys::key_id.eq(&sealed.key_id),
            fingerprint_keys::wrapped_key.eq(&sealed.wrapped_key),
            fingerprint_keys::ciphertext.eq(&sealed.ciphertext),
            fingerprint_keys::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Replaces the fingerprint key if it is still `old` (its wrapped key).
pub fn replace_fingerprint_key(conn: &mut AnyConnection, old: &WrappedKey, new: &Sealed) -> QueryResult<bool> {
    let n = diesel::update(
        fingerprint_keys::table
            .find(FINGERPRINT_KEY_ID)
            .filter(fingerprint_keys::key_id.eq(&old.key_id))
            .filter(fingerprint_keys::wrapped_key.eq(&old.wrapped_key)),
    )
    .set((
        fingerprint_keys::key_id.eq(&new.key_id),
        fingerprint_keys::wrapped_key.eq(&new.wrapped_key),
        fingerprint_keys::ciphertext.eq(&new.ciphertext),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Re-wraps the fingerprint key's data key if it is still `old`.
pub fn rewrap_fingerprint_key(conn: &mut AnyConnection, old: &WrappedKey, new: &WrappedKey) -> QueryResult<bool> {
    let n = diesel::update(
        fingerprint_keys::table
            .find(FINGERPRINT_KEY_ID)
            .filter(fingerprint_keys::key_id.eq(&old.key_id))
            .filter(fingerprint_keys::wrapped_key.eq(&old.wrapped_key)),
    )
    .set((fingerprint_keys::key_id.eq(&new.key_id), fingerprint_keys::wrapped_key.eq(&new.wrapped_key)))
    .execute(conn)?;
    Ok(n == 1)
}

/// The one row of `fingerprint_keys`.
pub const FINGERPRINT_KEY_ID: &str = "idempotency";

/// The safe call windows (JSON) of signals still holding a contact, by signal id.
/// Weekdays and times only, kept outside the seal so that the queue can say when
/// to call without a reveal; they are deleted with the contact row.
pub fn call_windows_of(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<(String, Option<String>)>> {
    signal_contacts::table
        .filter(signal_contacts::signal_id.eq_any(ids))
        .select((signal_contacts::signal_id, signal_contacts::call_windows))
        .load(conn)
}

/// How many stored signals a relay point has, by status.
pub fn count_by_status_for_relay(
    conn: &mut AnyConnection,
    relay_point: RelayPointId,
) -> QueryResult<Vec<(SignalStatus, i64)>> {
    let rows: Vec<(String, i64)> = signals::table
        .filter(signals::relay_point_id.eq(relay_point.to_string()))
        .group_by(signals::status)
        .select((signals::status, diesel::dsl::count_star()))
        .load(conn)?;
    rows.into_iter().map(|(s, n)| Ok((s.parse().map_err(|_| crate::db::corrupt("signals", "status"))?, n))).collect()
}
