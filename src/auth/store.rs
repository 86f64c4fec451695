//! Diesel queries on `refresh_tokens` and `password_resets`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::RefreshToken;
use crate::db::AnyConnection;
use crate::db::schema::{password_resets, refresh_tokens};
use crate::domain::UserId;

/// A `refresh_tokens` row as read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
struct RefreshTokenRow {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub family_expires_at: Option<NaiveDateTime>,
}

impl TryFrom<RefreshTokenRow> for RefreshToken {
    type Error = diesel::result::Error;
    fn try_from(r: RefreshTokenRow) -> QueryResult<Self> {
        Ok(RefreshToken {
            user_id: UserId::parse(&r.user_id).ok_or_else(|| crate::db::corrupt("refresh_tokens", "user_id"))?,
            id: r.id,
            family_id: r.family_id,
            expires_at: r.expires_at,
            used_at: r.used_at,
            revoked_at: r.revoked_at,
            family_expires_at: r.family_expires_at,
        })
    }
}

/// A refresh token to insert (stored as a hash only).
#[derive(Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub id: String,
    pub user_id: String,
    pub family_id: &'a str,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub family_expires_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut AnyConnection, token: &NewRefreshToken<'_>) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table).values(token).execute(conn).map(|_| ())
}

pub fn find_by_hash(conn: &mut AnyConnection, hash: &str) -> QueryResult<Option<RefreshToken>> {
    let row = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?;
    row.map(RefreshToken::try_from).transpose()
}

/// Marks a token used, only if it still was unused: false means another request
/// used it first (a reuse, even when concurrent).
pub fn mark_used(conn: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(refresh_tokens::table.find(id).filter(refresh_tokens::used_at.is_null()))
        .set(refresh_tokens::used_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke_family(conn: &mut AnyConnection, family_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
}

/// A password-reset token to insert (stored as a hash only).
#[derive(Insertable)]
#[diesel(table_name = password_resets)]
pub struct NewReset {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert_reset(conn: &mut AnyConnection, reset: &NewReset) -> QueryResult<()> {
    diesel::insert_into(password_resets::table).values(reset).execute(conn).map(|_| ())
}

/// Marks every unused reset token of an account used (only the newest link works).
pub fn use_up_resets(conn: &mut AnyConnection, user: UserId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        password_resets::table
            .filter(password_resets::user_id.eq(user.to_string()))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(Some(now)))
    .execute(conn)
}

/// The unused, unexpired reset token with this hash: its id and account.
pub fn find_live_reset(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(String, UserId)>> {
    let row: Option<(String, String)> = password_resets::table
        .filter(password_resets::token_hash.eq(token_hash))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now))
        .select((password_resets::id, password_resets::user_id))
        .first(conn)
        .optional()?;
    row.map(|(id, user)| {
        let user = UserId::parse(&user).ok_or_else(|| crate::db::corrupt("password_resets", "user_id"))?;
        Ok((id, user))
    })
    .transpose()
}

/// Uses a reset token; false when another request used it first.
pub fn use_reset(conn: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(password_resets::table.find(id).filter(password_resets::used_at.is_null()))
        .set(password_resets::used_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n == 1)
}
