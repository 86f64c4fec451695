//! Diesel queries on `staff_invitations`. The staff accounts themselves are
//! `users` rows, reached through `crate::users::service`.

use crate::domain::{RelayPointId, UserId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::Invitation;
use crate::db::AnyConnection;
use crate::db::schema::staff_invitations;
use crate::domain::InvitationId;

fn corrupt(column: &str) -> diesel::result::Error {
    crate::db::corrupt("staff_invitations", column)
}

/// A `staff_invitations` row, as read and as inserted: the rest of the code sees
/// [`Invitation`], converted once below.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff_invitations)]
struct InvitationRow {
    id: String,
    user_id: String,
    relay_point_id: String,
    token_hash: String,
    invited_by: String,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    accepted_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = diesel::result::Error;
    fn try_from(r: InvitationRow) -> QueryResult<Self> {
        Ok(Invitation {
            id: InvitationId::parse(&r.id).ok_or_else(|| corrupt("id"))?,
            user_id: UserId::parse(&r.user_id).ok_or_else(|| corrupt("user_id"))?,
            relay_point_id: RelayPointId::parse(&r.relay_point_id).ok_or_else(|| corrupt("relay_point_id"))?,
            token_hash: r.token_hash,
            invited_by: UserId::parse(&r.invited_by).ok_or_else(|| corrupt("invited_by"))?,
            created_at: r.created_at,
            expires_at: r.expires_at,
            accepted_at: r.accepted_at,
            revoked_at: r.revoked_at,
        })
    }
}

impl From<&Invitation> for InvitationRow {
    fn from(i: &Invitation) -> Self {
        Self {
            id: i.id.to_string(),
            user_id: i.user_id.to_string(),
            relay_point_id: i.relay_point_id.to_string(),
            token_hash: i.token_hash.clone(),
            invited_by: i.invited_by.to_string(),
            created_at: i.created_at,
            expires_at: i.expires_at,
            accepted_at: i.accepted_at,
            revoked_at: i.revoked_at,
        }
    }
}

pub fn insert_invitation(conn: &mut AnyConnection, invitation: &Invitation) -> QueryResult<()> {
    diesel::insert_into(staff_invitations::table).values(InvitationRow::from(invitation)).execute(conn).map(|_| ())
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
) -> QueryResult<Option<Invitation>> {
    let row = staff_invitations::table
        .filter(staff_invitations::token_hash.eq(hash))
        .filter(staff_invitations::accepted_at.is_null())
        .filter(staff_invitations::revoked_at.is_null())
        .filter(staff_invitations::expires_at.gt(now))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?;
    row.map(Invitation::try_from).transpose()
}

/// Marks an invitation accepted, only if it still was open: false means a
/// concurrent accept (or a revocation) came first.
pub fn mark_accepted(conn: &mut AnyConnection, id: InvitationId, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        staff_invitations::table
            .find(id.to_string())
            .filter(staff_invitations::accepted_at.is_null())
            .filter(staff_invitations::revoked_at.is_null()),
    )
    .set(staff_invitations::accepted_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}
