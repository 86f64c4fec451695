//! Password reset by e-mail: a one-time token valid one hour, stored only as a hash.
//! Asking always answers the same, whether or not the address has an account;
//! using the token sets the password and ends every session of the account.

use chrono::Duration;

use super::password_policy::ChosenPassword;
use super::store::{self, NewReset};
use super::throttle;
use crate::crypto::tokens::{hash_refresh_token, new_refresh_token};
use crate::db::{self, AnyConnection};
use crate::domain::{Email, StaffLanguage};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::users::service as users;

const VALID_HOURS: i64 = 1;

/// Creates a token for an active account with a password; `None` otherwise.
fn create(conn: &mut AnyConnection, email: &Email) -> Result<Option<(String, Email, StaffLanguage)>, AppError> {
    let Some(account) = users::credentials(conn, email)?.filter(|a| a.user.active && a.password_hash.is_some()) else {
        return Ok(None);
    };
    let now = db::now();
    // Only the newest link works.
    store::use_up_resets(conn, account.user.id, now)?;
    let token = new_refresh_token();
    store::insert_reset(
        conn,
        &NewReset {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: account.user.id.to_string(),
            token_hash: hash_refresh_token(&token),
            created_at: now,
            expires_at: now + Duration::hours(VALID_HOURS),
        },
    )?;
    Ok(Some((token, account.user.email, account.user.language)))
}

/// Sends a reset link if the address has an account. The caller answers 202 either way.
pub async fn request(state: &AppState, email: &str) -> Result<(), AppError> {
    let Ok(email) = Email::parse(email) else { return Ok(()) };
    let Some((token, to, language)) = state.db.write(move |c| create(c, &email)).await? else { return Ok(()) };
    let message = crate::mail::account_templates::password_reset(language, &token);
    if let Err(e) = state.mailer.send(&to, message).await {
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
            let (id, user) = store::find_live_reset(c, &token_hash, now)?.ok_or(AppError::NotFound)?;
            let account = users::account(c, user)?.filter(|u| u.active).ok_or(AppError::NotFound)?;
            if !store::use_reset(c, &id, now)? {
                return Err(AppError::NotFound);
            }
            users::set_password(c, user, &hash)?;
            users::end_sessions(c, user, now)?;
            throttle::clear(c, &throttle::account_key(account.email.as_str()))?;
            Ok(())
        })
        .await
}
