//! Diesel queries of the reminder job: expiring completions with their people,
//! what was already sent, status snapshots and digests.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{ExpiringTraining, RelaySnapshot, SentReminder};
use crate::db::schema::{
    manager_digests, programmes, relay_points, relay_status_snapshots, training_completions, training_modules,
    training_reminders, users,
};
use crate::db::{AnyConnection, corrupt};
use crate::domain::{Email, ProgrammeId, RelayPointId, StaffLanguage, TrainingModuleId, TrainingStatus, UserId};

/// A language as stored on an account; an unknown one is written to in English
/// (as `users::store` reads it).
fn language(code: &str) -> StaffLanguage {
    code.parse().unwrap_or_default()
}

/// What [`expiring`] reads: a required completion with its person, relay point and
/// module; the rest of the code sees [`ExpiringTraining`].
#[derive(Debug, Clone, Queryable)]
struct ExpiryRow {
    user_id: String,
    email: String,
    language: String,
    relay_name: String,
    module_id: String,
    module_title: String,
    expires_on: NaiveDate,
}

impl TryFrom<ExpiryRow> for ExpiringTraining {
    type Error = diesel::result::Error;
    fn try_from(r: ExpiryRow) -> QueryResult<Self> {
        Ok(ExpiringTraining {
            user_id: UserId::parse(&r.user_id).ok_or_else(|| corrupt("users", "id"))?,
            email: Email::parse(&r.email).map_err(|_| corrupt("users", "email"))?,
            language: language(&r.language),
            relay_name: r.relay_name,
            module_id: TrainingModuleId::parse(&r.module_id).ok_or_else(|| corrupt("training_modules", "id"))?,
            module_title: r.module_title,
            expires_on: r.expires_on,
        })
    }
}

/// A `training_reminders` row: a reminder claimed (and sent, unless released).
#[derive(Debug, Insertable)]
#[diesel(table_name = training_reminders)]
struct NewReminder {
    user_id: String,
    module_id: String,
    expires_on: NaiveDate,
    sent_at: NaiveDateTime,
}

/// A `relay_status_snapshots` row to write.
#[derive(Debug, Insertable)]
#[diesel(table_name = relay_status_snapshots)]
struct NewSnapshot {
    relay_point_id: String,
    status: &'static str,
    recorded_on: NaiveDate,
}

/// A `manager_digests` row: the digest of a programme for a week was sent.
#[derive(Debug, Insertable)]
#[diesel(table_name = manager_digests)]
struct NewDigest<'a> {
    programme_id: String,
    iso_week: &'a str,
    sent_at: NaiveDateTime,
}

/// What [`relays_with_snapshot`] reads; the rest of the code sees [`RelaySnapshot`].
#[derive(Debug, Clone, Queryable)]
struct SnapshotRow {
    relay_point_id: String,
    name: String,
    municipality: String,
    status: Option<String>,
}

impl TryFrom<SnapshotRow> for RelaySnapshot {
    type Error = diesel::result::Error;
    fn try_from(r: SnapshotRow) -> QueryResult<Self> {
        Ok(RelaySnapshot {
            relay_point_id: RelayPointId::parse(&r.relay_point_id).ok_or_else(|| corrupt("relay_points", "id"))?,
            name: r.name,
            municipality: r.municipality,
            previous: r
                .status
                .map(|s| s.parse::<TrainingStatus>().map_err(|()| corrupt("relay_status_snapshots", "status")))
                .transpose()?,
        })
    }
}

/// Required completions of active staff expiring in `(from, to]`.
pub fn expiring(conn: &mut AnyConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<ExpiringTraining>> {
    training_completions::table
        .inner_join(training_modules::table)
        .inner_join(users::table.on(users::id.eq(training_completions::user_id)))
        .inner_join(relay_points::table.on(relay_points::id.nullable().eq(users::relay_point_id)))
        .filter(training_modules::required.eq(true))
        .filter(
            training_modules::retired_on
                .is_null()
                .or(training_modules::retired_on.gt(training_completions::expires_on.nullable())),
        )
        .filter(users::active.eq(true))
        .filter(users::role.eq("relay_staff"))
        .filter(relay_points::active.eq(true))
        .filter(training_completions::expires_on.gt(from))
        .filter(training_completions::expires_on.le(to))
        .select((
            users::id,
            users::email,
            users::language,
            relay_points::name,
            training_modules::id,
            training_modules::title,
            training_completions::expires_on,
        ))
        .load::<ExpiryRow>(conn)?
        .into_iter()
        .map(ExpiringTraining::try_from)
        .collect()
}

/// The latest expiry of a person's completions of a module: a renewal makes an
/// older expiry irrelevant.
pub fn latest_expiry(
    conn: &mut AnyConnection,
    user: UserId,
    module: TrainingModuleId,
) -> QueryResult<Option<NaiveDate>> {
    training_completions::table
        .filter(training_completions::user_id.eq(user.to_string()))
        .filter(training_completions::module_id.eq(module.to_string()))
        .select(diesel::dsl::max(training_completions::expires_on))
        .first(conn)
}

/// Claims a reminder; false when it was already sent (the primary key says so).
pub fn claim_reminder(
    conn: &mut AnyConnection,
    user: UserId,
    module: TrainingModuleId,
    expires_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        training_reminders::table
            .filter(training_reminders::user_id.eq(user.to_string()))
            .filter(training_reminders::module_id.eq(module.to_string()))
            .filter(training_reminders::expires_on.eq(expires_on)),
    ))
    .get_result(conn)?;
    if exists {
        return Ok(false);
    }
    let row = NewReminder { user_id: user.to_string(), module_id: module.to_string(), expires_on, sent_at: now };
    diesel::insert_into(training_reminders::table).values(row).execute(conn)?;
    Ok(true)
}

/// Gives a claim back after a failed send, so the next run tries again.
pub fn release_reminder(
    conn: &mut AnyConnection,
    user: UserId,
    module: TrainingModuleId,
    expires_on: NaiveDate,
) -> QueryResult<()> {
    diesel::delete(
        training_reminders::table
            .filter(training_reminders::user_id.eq(user.to_string()))
            .filter(training_reminders::module_id.eq(module.to_string()))
            .filter(training_reminders::expires_on.eq(expires_on)),
    )
    .execute(conn)
    .map(|_| ())
}

/// (id, name) of every programme, by code.
pub fn programmes(conn: &mut AnyConnection) -> QueryResult<Vec<(ProgrammeId, String)>> {
    programmes::table
        .select((programmes::id, programmes::name))
        .order(programmes::code.asc())
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(id, name)| Ok((ProgrammeId::parse(&id).ok_or_else(|| corrupt("programmes", "id"))?, name)))
        .collect()
}

/// (address, language) of a programme's active managers.
pub fn managers(conn: &mut AnyConnection, programme: ProgrammeId) -> QueryResult<Vec<(Email, StaffLanguage)>> {
    users::table
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq("programme_manager"))
        .filter(users::active.eq(true))
        .select((users::email, users::language))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(email, lang)| Ok((Email::parse(&email).map_err(|_| corrupt("users", "email"))?, language(&lang))))
        .collect()
}

/// Each active relay point of a programme with its status at the last digest, by name.
pub fn relays_with_snapshot(conn: &mut AnyConnection, programme: ProgrammeId) -> QueryResult<Vec<RelaySnapshot>> {
    relay_points::table
        .left_join(relay_status_snapshots::table.on(relay_status_snapshots::relay_point_id.eq(relay_points::id)))
        .filter(relay_points::programme_id.eq(programme.to_string()))
        .filter(relay_points::active.eq(true))
        .select((
            relay_points::id,
            relay_points::name,
            relay_points::municipality,
            relay_status_snapshots::status.nullable(),
        ))
        .order((relay_points::name.asc(), relay_points::id.asc()))
        .load::<SnapshotRow>(conn)?
        .into_iter()
        .map(RelaySnapshot::try_from)
        .collect()
}

/// Replaces the snapshots of the given relay points (delete then insert: upsert is
/// not available through `AnyConnection`).
pub fn save_snapshots(
    conn: &mut AnyConnection,
    statuses: &[(RelayPointId, TrainingStatus)],
    on: NaiveDate,
) -> QueryResult<()> {
    for (relay, status) in statuses {
        let row = NewSnapshot { relay_point_id: relay.to_string(), status: status.as_str(), recorded_on: on };
        diesel::delete(relay_status_snapshots::table.find(&row.relay_point_id)).execute(conn)?;
        diesel::insert_into(relay_status_snapshots::table).values(&row).execute(conn)?;
    }
    Ok(())
}

/// Whether the digest of `programme` for ISO week `week` (`2026-W48`) was sent.
pub fn digest_sent(conn: &mut AnyConnection, programme: ProgrammeId, week: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        manager_digests::table
            .filter(manager_digests::programme_id.eq(programme.to_string()))
            .filter(manager_digests::iso_week.eq(week)),
    ))
    .get_result(conn)
}

pub fn record_digest(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    week: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let row = NewDigest { programme_id: programme.to_string(), iso_week: week, sent_at: now };
    diesel::insert_into(manager_digests::table).values(row).execute(conn).map(|_| ())
}

/// How many reminders were sent about the programme's modules.
pub fn count_sent(conn: &mut AnyConnection, programme: ProgrammeId) -> QueryResult<i64> {
    training_reminders::table
        .inner_join(training_modules::table.on(training_modules::id.eq(training_reminders::module_id)))
        .filter(training_modules::programme_id.eq(programme.to_string()))
        .select(diesel::dsl::count_star())
        .first(conn)
}

/// One page of the reminders sent about the programme's modules, newest first,
/// with the person, their relay point and the module's title.
pub fn sent(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<SentReminder>> {
    type Row = (NaiveDateTime, String, Option<String>, Option<String>, String, NaiveDate);
    let rows: Vec<Row> = training_reminders::table
        .inner_join(training_modules::table.on(training_modules::id.eq(training_reminders::module_id)))
        .inner_join(users::table.on(users::id.eq(training_reminders::user_id)))
        .left_join(relay_points::table.on(relay_points::id.nullable().eq(users::relay_point_id)))
        .filter(training_modules::programme_id.eq(programme.to_string()))
        .select((
            training_reminders::sent_at,
            users::email,
            relay_points::id.nullable(),
            relay_points::name.nullable(),
            training_modules::title,
            training_reminders::expires_on,
        ))
        .order((training_reminders::sent_at.desc(), users::email.asc(), training_modules::title.asc()))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    rows.into_iter()
        .map(|(sent_at, email, relay_id, relay_name, module_title, expires_on)| {
            let relay = match (relay_id, relay_name) {
                (Some(id), Some(name)) => {
                    Some((RelayPointId::parse(&id).ok_or_else(|| corrupt("relay_points", "id"))?, name))
                }
                _ => None,
            };
            Ok(SentReminder { sent_at, email, relay, module_title, expires_on })
        })
        .collect()
}
