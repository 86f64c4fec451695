//! Diesel queries of the reminder job: expiring completions with their people,
//! what was already sent, status snapshots and digests.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{
    manager_digests, programmes, relay_points, relay_status_snapshots, training_completions, training_modules,
    training_reminders, users,
};

/// A required completion of an active staff member, with what a reminder needs.
#[derive(Debug, Clone, Queryable)]
pub struct ExpiryRow {
    pub user_id: String,
    pub email: String,
    pub language: String,
    pub relay_name: String,
    pub module_id: String,
    pub module_title: String,
    pub expires_on: NaiveDate,
}

/// Required completions of active staff expiring in `(from, to]`.
pub fn expiring(conn: &mut AnyConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<Vec<ExpiryRow>> {
    training_completions::table
        .inner_join(training_modules::table)
        .inner_join(users::table.on(users::id.eq(training_completions::user_id)))
        .inner_join(relay_points::table.on(relay_points::id.nullable().eq(users::relay_point_id)))
        .filter(training_modules::required.eq(true))
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
        .load(conn)
}

/// The latest expiry of each (user, module) pair among `pairs`' users: a renewal
/// makes an older expiry irrelevant.
pub fn latest_expiry(conn: &mut AnyConnection, user: &str, module: &str) -> QueryResult<Option<NaiveDate>> {
    training_completions::table
        .filter(training_completions::user_id.eq(user))
        .filter(training_completions::module_id.eq(module))
        .select(diesel::dsl::max(training_completions::expires_on))
        .first(conn)
}

/// Claims a reminder; false when it was already sent (the primary key says so).
pub fn claim_reminder(
    conn: &mut AnyConnection,
    user: &str,
    module: &str,
    expires_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        training_reminders::table
            .filter(training_reminders::user_id.eq(user))
            .filter(training_reminders::module_id.eq(module))
            .filter(training_reminders::expires_on.eq(expires_on)),
    ))
    .get_result(conn)?;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(training_reminders::table)
        .values((
            training_reminders::user_id.eq(user),
            training_reminders::module_id.eq(module),
            training_reminders::expires_on.eq(expires_on),
            training_reminders::sent_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Gives a claim back after a failed send, so the next run tries again.
pub fn release_reminder(conn: &mut AnyConnection, user: &str, module: &str, expires_on: NaiveDate) -> QueryResult<()> {
    diesel::delete(
        training_reminders::table
            .filter(training_reminders::user_id.eq(user))
            .filter(training_reminders::module_id.eq(module))
            .filter(training_reminders::expires_on.eq(expires_on)),
    )
    .execute(conn)
    .map(|_| ())
}

/// (id, name) of every programme.
pub fn programmes(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    programmes::table.select((programmes::id, programmes::name)).order(programmes::code.asc()).load(conn)
}

/// (email, language) of a programme's active managers.
pub fn managers(conn: &mut AnyConnection, programme: &str) -> QueryResult<Vec<(String, String)>> {
    users::table
        .filter(users::programme_id.eq(programme))
        .filter(users::role.eq("programme_manager"))
        .filter(users::active.eq(true))
        .select((users::email, users::language))
        .load(conn)
}

/// (relay id, name, municipality, status at the last digest).
pub type SnapshotRow = (String, String, String, Option<String>);

/// Each active relay point of a programme with its status at the last digest.
pub fn relays_with_snapshot(conn: &mut AnyConnection, programme: &str) -> QueryResult<Vec<SnapshotRow>> {
    relay_points::table
        .left_join(relay_status_snapshots::table.on(relay_status_snapshots::relay_point_id.eq(relay_points::id)))
        .filter(relay_points::programme_id.eq(programme))
        .filter(relay_points::active.eq(true))
        .select((
            relay_points::id,
            relay_points::name,
            relay_points::municipality,
            relay_status_snapshots::status.nullable(),
        ))
        .order((relay_points::name.asc(), relay_points::id.asc()))
        .load(conn)
}

/// Replaces the snapshots of the given relay points (delete then insert: upsert is
/// not available through `AnyConnection`).
pub fn save_snapshots(conn: &mut AnyConnection, rows: &[(String, &'static str)], on: NaiveDate) -> QueryResult<()> {
    for (relay, status) in rows {
        diesel::delete(relay_status_snapshots::table.find(relay)).execute(conn)?;
        diesel::insert_into(relay_status_snapshots::table)
            .values((
                relay_status_snapshots::relay_point_id.eq(relay),
                relay_status_snapshots::status.eq(*status),
                relay_status_snapshots::recorded_on.eq(on),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn digest_sent(conn: &mut AnyConnection, programme: &str, week: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        manager_digests::table
            .filter(manager_digests::programme_id.eq(programme))
            .filter(manager_digests::iso_week.eq(week)),
    ))
    .get_result(conn)
}

pub fn record_digest(conn: &mut AnyConnection, programme: &str, week: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(manager_digests::table)
        .values((
            manager_digests::programme_id.eq(programme),
            manager_digests::iso_week.eq(week),
            manager_digests::sent_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
