//! Diesel queries on staff accounts (relay-staff `users` of a programme) and
//! `staff_invitations`.

use crate::domain::{ProgrammeId, RelayPointId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{staff_invitations, users};
use crate::users::store::UserRow;

/// A `staff_invitations` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff_invitations)]
pub struct InvitationRow {
    pub id: String,
    pub user_id: String,
    pub relay_point_id: String,
    pub token_hash: String,
    pub invited_by: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_invitation(conn: &mut AnyConnection, row: &InvitationRow) -> QueryResult<()> {
    diesel::insert_into(staff_invitations::table).values(row).execute(conn).map(|_| ())
}

/// Revokes every still-open invitation of a user (a re-invite or a deactivation).
pub fn revoke_open_invitations(conn: &mut AnyConnection, user: UserId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        staff_invitations::table
            .filter(staff_invitations::user_id.eq(user.to_string()))
            .filter(staff_invitations::accepted_at.is_null())
            .filter(staff_invitations::revoked_at.is_null()),
    )
    .set(staff_invitations::revoked_at.eq(Some(now)))
    .execute(conn)
}

/// The invitation with this token hash, if it is still open and unexpired.
pub fn find_open_invitation(
    conn: &mut AnyConnection,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<InvitationRow>> {
    staff_invitations::table
        .filter(staff_invitations::token_hash.eq(hash))
        .filter(staff_invitations::accepted_at.is_null())
        .filter(staff_invitations::revoked_at.is_null())
        .filter(staff_invitations::expires_at.gt(now))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()
}

/// Marks an invitation accepted, only if it still was open: false means a
/// concurrent accept (or a revocation) came first.
pub fn mark_accepted(conn: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        staff_invitations::table
            .find(id)
            .filter(staff_invitations::accepted_at.is_null())
            .filter(staff_invitations::revoked_at.is_null()),
    )
    .set(staff_invitations::accepted_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Sets the password of an accepted invitee and (re)activates the account.
pub fn set_password_and_activate(conn: &mut AnyConnection, user: UserId, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user.to_string()))
        .set((
            users::password_hash.eq(Some(hash)),
            users::active.eq(true),
            users::deactivated_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Moves a staff member to a relay point and records their language.
pub fn reassign(conn: &mut AnyConnection, user: UserId, relay: RelayPointId, language: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user.to_string()))
        .set((users::relay_point_id.eq(Some(relay.to_string())), users::language.eq(language)))
        .execute(conn)
        .map(|_| ())
}

/// A relay-staff account, only if it belongs to `programme`.
pub fn find_staff(conn: &mut AnyConnection, programme: ProgrammeId, id: UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id.to_string())
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq("relay_staff"))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Staff of a programme (optionally of one relay point) ordered by e-mail.
pub fn list_staff(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    relay: Option<RelayPointId>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let mut q = users::table
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq("relay_staff"))
        .select(UserRow::as_select())
        .order(users::email.asc())
        .limit(limit)
        .into_boxed();
    if let Some(relay) = relay {
        q = q.filter(users::relay_point_id.eq(relay.to_string()));
    }
    if let Some(after) = after {
        q = q.filter(users::email.gt(after.to_string()));
    }
    q.load(conn)
}

/// Relay-staff accounts of a programme by e-mail (completion imports name people by e-mail).
pub fn staff_ids_by_email(conn: &mut AnyConnection, programme: ProgrammeId) -> QueryResult<Vec<(String, String)>> {
    users::table
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq("relay_staff"))
        .select((users::email, users::id))
        .load(conn)
}
