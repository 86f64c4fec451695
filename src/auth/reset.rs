//! Password reset by e-mail: a one-time token valid one hour, stored only as a hash.
//! Asking always answers the same 202, after the same work, whether or not the
//! address has an account: the request only queues an `account_mail` row (with no
//! account when there is none), and the outbox sends the e-mail, making the token
//! as it sends. Requests are limited per address asked for (later ones send
//! nothing) and per client address (429). Using the token sets the password and
//! ends every session of the account; a bad token is refused before any hashing.

use chrono::Duration;

use super::password_policy::ChosenPassword;
use super::store::{self, NewReset};
use super::throttle;
use crate::audit::{self, Action};
use crate::crypto::tokens::{hash_refresh_token, new_refresh_token};
use crate::db::{self, AnyConnection};
use crate::domain::{Email, StaffLanguage, UserId};
use crate::http::error::AppError;
use crate::outbox::account_mail;
use crate::state::AppState;
use crate::users::service as users;

const VALID_HOURS: i64 = 1;

/// Makes a reset token for an active account with a password, as its e-mail is
/// sent (the outbox calls this); `None` when the account no longer qualifies.
pub fn issue_for(conn: &mut AnyConnection, user: UserId) -> Result<Option<(String, Email, StaffLanguage)>, AppError> {
    let Some(account) = users::account(conn, user)?.filter(|u| u.active) else {
        return Ok(None);
    };
    let Some(_) = users::credentials(conn, &account.email)?.and_then(|c| c.password_hash) else {
        return Ok(None);
    };
    let now = db::now();
    // Only the newest link works.
    store::use_up_resets(conn, user, now)?;
    let token = new_refresh_token();
    store::insert_reset(
        conn,
        &NewReset {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: user.to_string(),
            token_hash: hash_refresh_token(&token),
            created_at: now,
            expires_at: now + Duration::hours(VALID_HOURS),
        },
    )?;
    Ok(Some((token, account.email, account.language)))
}

/// Queues a reset e-mail if the address has an account (and has not asked too
/// often). The caller answers 202 either way; 429 only when `client` asked too often.
pub async fn request(state: &AppState, email_raw: &str, client: &str) -> Result<(), AppError> {
    let (per_account, per_address) =
        (state.settings.reset_requests_per_account, state.settings.reset_requests_per_address);
    let (account_key, address_key) = (throttle::reset_account_key(email_raw), throttle::reset_address_key(client));
    let email = Email::parse(email_raw).ok();
    let over = state
        .db
        .write(move |c| {
            let now = db::now();
            if let Some(secs) = throttle::hit(c, &address_key, now, per_address)? {
                return Ok::<_, AppError>(Some(secs));
            }
            let asked_too_often = throttle::hit(c, &account_key, now, per_account)?.is_some();
            let user = match &email {
                Some(e) => users::credentials(c, e)?.filter(|a| a.user.active && a.password_hash.is_some()),
                None => None,
            };
            let user = user.map(|a| a.user.id).filter(|_| !asked_too_often);
            account_mail::enqueue(c, account_mail::PASSWORD_RESET, user, now)?;
            Ok(None)
        })
        .await?;
    match over {
        Some(secs) => Err(AppError::TooManyRequests { retry_after_secs: u64::try_from(secs).unwrap_or(1) }),
        None => Ok(()),
    }
}

/// Sets the new password with a valid token (404 otherwise, before any hashing)
/// and ends every session of the account.
pub async fn accept(state: &AppState, token: &str, password: ChosenPassword, client: &str) -> Result<(), AppError> {
    let token_hash = hash_refresh_token(token);
    let lookup = token_hash.clone();
    throttle::check_token(state, client, move |c, now| Ok(store::find_live_reset(c, &lookup, now)?)).await?;
    let hash = state.hasher.hash(password.into_inner()).await?;
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
            audit::record(c, Some(user), Action::PasswordReset, None, Some(&user.to_string()))?;
            throttle::clear(c, &throttle::account_key(account.email.as_str()))?;
            Ok(())
        })
        .await
}
