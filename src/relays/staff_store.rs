//! Diesel queries on `staff_invitations`. The staff accounts themselves are
//! `users` rows, reached through `crate::users::service`.

use crate::domain::UserId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::staff_invitations;

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
