//! Invitations: how every account gets its password. A one-time token (72 hours,
//! stored as a SHA-256 hash, a new one revokes the previous) travels only by
//! e-mail; the invitee chooses the password, so nobody else ever learns it. The
//! same mechanism serves an admin inviting any role and a manager inviting relay
//! staff (whose invitation names their relay point).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::model::User;
use super::service;
use super::store;
use crate::audit::{self, Action};
use crate::auth::password_policy::ChosenPassword;
use crate::auth::throttle;
use crate::crypto::tokens::{hash_refresh_token, new_refresh_token};
use crate::db::schema::staff_invitations;
use crate::db::{self, AnyConnection};
use crate::domain::{InvitationId, RelayPointId, UserId};
use crate::http::error::AppError;
use crate::state::AppState;

/// How long an invitation token stays valid.
pub const INVITATION_TTL_HOURS: i64 = 72;

/// An invitation. The token itself is only in the e-mail; this keeps its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: InvitationId,
    pub user_id: UserId,
    /// The relay point of a relay-staff invitation; `None` for every other role.
    pub relay_point_id: Option<RelayPointId>,
    pub token_hash: String,
    pub invited_by: UserId,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A token just issued, to be e-mailed after the transaction commits.
pub struct Issued {
    pub token: String,
    pub expires_at: NaiveDateTime,
}

/// Issues a new invitation for `user`, revoking any still-open one. Call inside
/// the transaction that creates or changes the account.
pub fn issue(
    c: &mut AnyConnection,
    user: UserId,
    relay_point_id: Option<RelayPointId>,
    actor: UserId,
    now: NaiveDateTime,
) -> Result<Issued, AppError> {
    revoke_open(c, user, now)?;
    let token = new_refresh_token();
    let expires_at = now + Duration::hours(INVITATION_TTL_HOURS);
    let row = InvitationRow {
        id: InvitationId::new().to_string(),
        user_id: user.to_string(),
        relay_point_id: relay_point_id.map(|r| r.to_string()),
        token_hash: hash_refresh_token(&token),
        invited_by: actor.to_string(),
        created_at: now,
        expires_at,
        accepted_at: None,
        revoked_at: None,
    };
    diesel::insert_into(staff_invitations::table).values(&row).execute(c)?;
    Ok(Issued { token, expires_at })
}

const NO_INVITATION: AppError = AppError::NotFound;

/// Accepts an invitation: sets the password, activates the account, ends any
/// earlier session of it. Unknown, used, revoked and expired tokens are all 404,
/// found out before any password hashing; a client address that keeps presenting
/// them gets 429 (`SAFERELAY_TOKEN_FAILURES_PER_ADDRESS`).
pub async fn accept(state: &AppState, token: &str, password: ChosenPassword, client: &str) -> Result<User, AppError> {
    let hash = hash_refresh_token(token);
    let open = throttle::check_token(state, client, move |c, now| find_open(c, &hash, now)).await?;
    let password_hash = state.hasher.hash(password.into_inner()).await?;
    state
        .db
        .write(move |c| {
            let now = db::now();
            // Re-checked inside the transaction: the token may have been used or
            // revoked while the password was being hashed.
            let open = find_open(c, &open.token_hash, now)?.ok_or(NO_INVITATION)?;
            if !mark_accepted(c, open.id, now)? {
                return Err(NO_INVITATION);
            }
            let before = store::find_by_id(c, open.user_id)?.ok_or(NO_INVITATION)?;
            let user = service::activate_with_password(c, open.user_id, &password_hash, now)?;
            let subject = user.id.to_string();
            audit::record(c, Some(user.id), Action::InvitationAccepted, None, Some(&subject))?;
            if before.deactivated_at.is_some() {
                audit::record(c, Some(open.invited_by), Action::AccountReactivated, None, Some(&subject))?;
            }
            Ok(user)
        })
        .await
}

// Queries on `staff_invitations` (named so when only relay staff were invited).

fn corrupt(column: &str) -> diesel::result::Error {
    crate::db::corrupt("staff_invitations", column)
}

/// A `staff_invitations` row, as read and as inserted.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff_invitations)]
struct InvitationRow {
    id: String,
    user_id: String,
    relay_point_id: Option<String>,
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
            relay_point_id: r
                .relay_point_id
                .map(|r| RelayPointId::parse(&r).ok_or_else(|| corrupt("relay_point_id")))
                .transpose()?,
            token_hash: r.token_hash,
            invited_by: UserId::parse(&r.invited_by).ok_or_else(|| corrupt("invited_by"))?,
            created_at: r.created_at,
            expires_at: r.expires_at,
            accepted_at: r.accepted_at,
            revoked_at: r.revoked_at,
        })
    }
}

/// Revokes every still-open invitation of a user (a re-invite or a deactivation).
pub fn revoke_open(conn: &mut AnyConnection, user: UserId, now: NaiveDateTime) -> QueryResult<usize> {
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
fn find_open(conn: &mut AnyConnection, hash: &str, now: NaiveDateTime) -> Result<Option<Invitation>, AppError> {
    let row = staff_invitations::table
        .filter(staff_invitations::token_hash.eq(hash))
        .filter(staff_invitations::accepted_at.is_null())
        .filter(staff_invitations::revoked_at.is_null())
        .filter(staff_invitations::expires_at.gt(now))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Invitation::try_from).transpose()?)
}

/// Marks an invitation accepted, only if it still was open: false means a
/// concurrent accept (or a revocation) came first.
fn mark_accepted(conn: &mut AnyConnection, id: InvitationId, now: NaiveDateTime) -> QueryResult<bool> {
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

/// The open (neither accepted nor revoked) invitation of each of `users` that has
/// one, by its expiry: those accounts have not accepted yet.
pub fn open_expiries(
    conn: &mut AnyConnection,
    users: &[UserId],
) -> QueryResult<std::collections::HashMap<UserId, NaiveDateTime>> {
    let ids: Vec<String> = users.iter().map(ToString::to_string).collect();
    let rows: Vec<(String, NaiveDateTime)> = staff_invitations::table
        .filter(staff_invitations::user_id.eq_any(ids))
        .filter(staff_invitations::accepted_at.is_null())
        .filter(staff_invitations::revoked_at.is_null())
        .select((staff_invitations::user_id, staff_invitations::expires_at))
        .load(conn)?;
    rows.into_iter().map(|(u, at)| Ok((UserId::parse(&u).ok_or_else(|| corrupt("user_id"))?, at))).collect()
}

/// An invitation of a programme's relay staff not accepted yet (open, or
/// expired without being accepted), with the account's e-mail.
#[derive(Debug, Clone)]
pub struct Pending {
    pub user_id: UserId,
    pub email: crate::domain::Email,
    pub language: crate::domain::StaffLanguage,
    pub relay_point_id: Option<RelayPointId>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// The relay-staff invitations of `programme` not accepted (nor revoked) yet,
/// oldest first. An account has at most one: a new one revokes the previous.
pub fn pending_in_programme(
    conn: &mut AnyConnection,
    programme: crate::domain::ProgrammeId,
) -> QueryResult<Vec<Pending>> {
    use crate::db::schema::users;
    let rows: Vec<(String, String, String, Option<String>, NaiveDateTime, NaiveDateTime)> = staff_invitations::table
        .inner_join(users::table.on(users::id.eq(staff_invitations::user_id)))
        .filter(users::programme_id.eq(programme.to_string()))
        .filter(users::role.eq(crate::domain::Role::RelayStaff.as_str()))
        .filter(staff_invitations::accepted_at.is_null())
        .filter(staff_invitations::revoked_at.is_null())
        .select((
            users::id,
            users::email,
            users::language,
            staff_invitations::relay_point_id,
            staff_invitations::created_at,
            staff_invitations::expires_at,
        ))
        .order((staff_invitations::created_at.asc(), users::email.asc()))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, email, language, relay, created_at, expires_at)| {
            Ok(Pending {
                user_id: UserId::parse(&id).ok_or_else(|| crate::db::corrupt("users", "id"))?,
                email: crate::domain::Email::parse(&email).map_err(|_| crate::db::corrupt("users", "email"))?,
                language: language.parse().map_err(|_| crate::db::corrupt("users", "language"))?,
                relay_point_id: relay
                    .map(|r| RelayPointId::parse(&r).ok_or_else(|| corrupt("relay_point_id")))
                    .transpose()?,
                created_at,
                expires_at,
            })
        })
        .collect()
}
