//! Password reset by e-mail: a one-time token valid one hour, stored only as a hash.
//! Asking always answers the same, whether or not the address has an account;
//! using the token sets the password and ends every session of the account.

use crate::domain::{Email, UserId};
use chrono::Duration;
use diesel::prelude::*;

use super::password_policy::ChosenPassword;
use super::store as tokens_store;
use super::throttle;
use super::tokens::{hash_refresh_token, new_refresh_token};
use crate::db::schema::{password_resets, users};
use crate::db::{self, AnyConnection};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::users::store as users_store;

const VALID_HOURS: i64 = 1;

#[derive(Insertable)]
#[diesel(table_name = password_resets)]
struct NewReset<'a> {
    id: String,
    user_id: &'a str,
    token_hash: &'a str,
    created_at: chrono::NaiveDateTime,
    expires_at: chrono::NaiveDateTime,
}

/// Creates a token for an active account with a password; `None` otherwise.
fn create(conn: &mut AnyConnection, email: &Email) -> Result<Option<(String, String, String)>, AppError> {
    let Some(user) = users_store::find_by_email(conn, email)?.filter(|u| u.active && u.password_hash.is_some()) else {
        return Ok(None);
    };
    let now = db::now();
    // Only the newest link works.
    diesel::update(
        password_resets::table.filter(password_resets::user_id.eq(&user.id)).filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(Some(now)))
    .execute(conn)?;
    let token = new_refresh_token();
    diesel::insert_into(password_resets::table)
        .values(&NewReset {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: &user.id,
            token_hash: &hash_refresh_token(&token),
            created_at: now,
            expires_at: now + Duration::hours(VALID_HOURS),
        })
        .execute(conn)?;
    Ok(Some((token, user.email, user.language)))
}

/// Sends a reset link if the address has an account. The caller answers 202 either way.
pub async fn request(state: &AppState, email: &str) -> Result<(), AppError> {
    let Ok(email) = Email::parse(email) else { return Ok(()) };
    let Some((token, to, language)) = state.db.write(move |c| create(c, &email)).await? else { return Ok(()) };
    let message = crate::mail::account_templates::password_reset(language.parse().unwrap_or_default(), &token);
    if let Ok(to) = Email::parse(&to)
        && let Err(e) = state.mailer.send(&to, message).await
    {
        tracing::warn!(error = %e, "password reset e-mail not sent");
    }
    Ok(())
}

/// Sets the new password with a valid token (404 otherwise) and revokes every
/// refresh token of the account.
pub async fn accept(state: &AppState, token: &str, password: ChosenPassword) -> Result<(), AppError> {
    let hash = state.hasher.hash(password.into_inner()).await?;
    let token_hash = hash_refresh_token(token);
    state
        .db
        .write(move |c| {
            let now = db::now();
            let (id, user_id, email): (String, String, String) = password_resets::table
                .inner_join(users::table)
                .filter(password_resets::token_hash.eq(&token_hash))
                .filter(password_resets::used_at.is_null())
                .filter(password_resets::expires_at.gt(now))
                .filter(users::active.eq(true))
                .select((password_resets::id, password_resets::user_id, users::email))
                .first(c)
                .optional()?
                .ok_or(AppError::NotFound)?;
            let n = diesel::update(password_resets::table.find(&id).filter(password_resets::used_at.is_null()))
                .set(password_resets::used_at.eq(Some(now)))
                .execute(c)?;
            if n != 1 {
                return Err(AppError::NotFound);
            }
            diesel::update(users::table.find(&user_id)).set(users::password_hash.eq(Some(&hash))).execute(c)?;
            let user = UserId::parse(&user_id).ok_or_else(|| AppError::internal("corrupt password_resets.user_id"))?;
            tokens_store::revoke_all_for_user(c, user, now)?;
            throttle::clear(c, &throttle::account_key(&email))?;
            Ok(())
        })
        .await
}
