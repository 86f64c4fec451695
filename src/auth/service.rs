//! Sign-in use cases: login, refresh-token rotation with reuse detection, logout.

use crate::domain::{Email, StaffLanguage, UserId};
use chrono::Duration;

use super::store::{self as tokens_store, NewRefreshToken};
use super::throttle;
use crate::crypto::tokens::{hash_refresh_token, new_refresh_token};
use crate::db::{self, AnyConnection};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::users::model::User;
use crate::users::service as users;

/// What a successful login or refresh hands back.
pub struct Session {
    pub user: User,
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
}

const BAD_CREDENTIALS: &str = "Invalid e-mail or password.";
const BAD_REFRESH: &str = "The refresh token is invalid, expired or already used.";

/// The second factor a login may carry.
#[derive(Default)]
pub struct SecondFactor {
    pub totp_code: Option<String>,
    pub recovery_code: Option<String>,
}

pub async fn login(
    state: &AppState,
    email_raw: &str,
    password: String,
    second: SecondFactor,
    client: &str,
) -> Result<Session, AppError> {
    let user = authenticate(state, email_raw, password, second, client).await?;
    start_session(state, user).await
}

/// Checks a sign-in (password, then the second factor when one is enrolled) under
/// the throttling and lockout rules, and answers the account. Shared by the API's
/// token sign-in and the console's browser sign-in.
pub async fn authenticate(
    state: &AppState,
    email_raw: &str,
    password: String,
    second: SecondFactor,
    client: &str,
) -> Result<User, AppError> {
    // Before any database work: a guess that could not be hashed anyway costs nothing.
    state.hasher.refuse_if_full()?;
    let (account, address) = (throttle::account_key(email_raw), throttle::address_key(client));
    let (a, b) = (account.clone(), address.clone());
    let now = db::now();
    let (account_wait, address_wait) = state
        .db
        .run(move |c| Ok::<_, AppError>((throttle::blocked(c, &a, now)?, throttle::blocked(c, &b, now)?)))
        .await?;
    let blocked = |secs: i64| AppError::TooManyRequests { retry_after_secs: u64::try_from(secs).unwrap_or(1) };
    // Checked before hashing: a flood of guesses costs no Argon2 work. A blocked
    // account still lets in whoever brings a second factor: someone who knows an
    // operator's e-mail must not be able to keep them out of a shift by guessing.
    // Under the block every failure answers the same 429, so the bypass tells a
    // guesser nothing about the password.
    let account_block = account_wait.filter(|_| second.totp_code.is_none() && second.recovery_code.is_none());
    if let Some(secs) = address_wait.max(account_block) {
        return Err(blocked(secs));
    }
    let refuse = |e: AppError| match account_wait {
        Some(secs) => blocked(secs),
        None => e,
    };
    // A malformed address cannot belong to an account; answer like any failure,
    // after the same amount of work.
    let email = Email::parse(email_raw).ok();
    let found = match email {
        Some(email) => state.db.run(move |c| users::credentials(c, &email)).await?,
        None => None,
    };
    let hash = found.as_ref().filter(|f| f.user.active).and_then(|f| f.password_hash.clone());
    let owner = found.as_ref().map(|f| (f.user.email.clone(), f.user.language));
    if !state.hasher.verify(password, hash).await? {
        record_failure(state, account, address, owner).await?;
        return Err(refuse(AppError::Unauthorized(BAD_CREDENTIALS)));
    }
    let user = found.ok_or(AppError::Unauthorized(BAD_CREDENTIALS))?.user;
    if user.two_factor {
        if second.totp_code.is_none() && second.recovery_code.is_none() {
            return Err(AppError::SecondFactorRequired);
        }
        if !check_second_factor(state, &user, second).await? {
            record_failure(state, account, address, owner).await?;
            return Err(refuse(AppError::SecondFactorRequired));
        }
    } else if account_wait.is_some() {
        // No second factor enrolled: the block stands.
        return Err(refuse(AppError::Unauthorized(BAD_CREDENTIALS)));
    }
    let a = account.clone();
    state.db.write(move |c| Ok::<_, AppError>(throttle::clear(c, &a)?)).await?;
    Ok(user)
}

/// A new sign-in (refresh family) for `user`, with its absolute end.
async fn start_session(state: &AppState, user: User) -> Result<Session, AppError> {
    let ttl = Duration::days(i64::try_from(state.settings.refresh_token_ttl_days).unwrap_or(30));
    let lifetime = Duration::seconds(i64::try_from(state.settings.session_lifetime_for(user.role)).unwrap_or(43_200));
    let user_id = user.id;
    let refresh_token = state
        .db
        .write(move |c| {
            let token = new_refresh_token();
            let family = uuid::Uuid::new_v4().to_string();
            let family_end = db::now() + lifetime;
            store_refresh_token(c, user_id, &family, &token, ttl, Some(family_end))?;
            Ok::<_, AppError>(token)
        })
        .await?;
    session(state, user, refresh_token)
}

const WRONG_PASSWORD: &str = "does not match your current password";

/// Changes the caller's password: the current one must match (failures count
/// like failed sign-ins, and a locked account answers 429). Every session of the
/// account ends, this one included; the answer is a new session.
pub async fn change_password(
    state: &AppState,
    id: UserId,
    current: String,
    new: super::password_policy::ChosenPassword,
) -> Result<Session, AppError> {
    state.hasher.refuse_if_full()?;
    let Some(found) = state.db.run(move |c| users::account(c, id)).await? else {
        return Err(AppError::Unauthorized(BAD_CREDENTIALS));
    };
    let key = throttle::account_key(found.email.as_str());
    let (k, now) = (key.clone(), db::now());
    if let Some(secs) = state.db.run(move |c| Ok::<_, AppError>(throttle::blocked(c, &k, now)?)).await? {
        return Err(AppError::TooManyRequests { retry_after_secs: u64::try_from(secs).unwrap_or(1) });
    }
    let email = found.email.clone();
    let hash = state.db.run(move |c| users::credentials(c, &email)).await?.and_then(|c| c.password_hash);
    if !state.hasher.verify(current, hash).await? {
        let s = &state.settings;
        let (delay, lock) = (s.login_delay_after, (s.login_lock_after, s.login_lock_minutes));
        state
            .db
            .write(move |c| Ok::<_, AppError>(throttle::record_failure(c, &key, db::now(), delay, Some(lock))?))
            .await?;
        return Err(AppError::invalid("current_password", WRONG_PASSWORD));
    }
    let new_hash = state.hasher.hash(new.into_inner()).await?;
    let user = state
        .db
        .write(move |c| {
            users::set_password(c, id, &new_hash)?;
            users::end_sessions(c, id, db::now())?;
            crate::audit::record(c, Some(id), crate::audit::Action::PasswordChanged, None, Some(&id.to_string()))?;
            users::account(c, id)?.ok_or(AppError::Unauthorized(BAD_CREDENTIALS))
        })
        .await?;
    start_session(state, user).await
}

/// Checks a TOTP code (each time step once) or uses up a recovery code.
async fn check_second_factor(state: &AppState, user: &User, second: SecondFactor) -> Result<bool, AppError> {
    let (keys, id, email) = (state.master_keys.clone(), user.id, user.email.as_str().to_string());
    state
        .db
        .write(move |c| match second {
            SecondFactor { totp_code: Some(code), .. } => {
                let current = super::totp::load(c, &keys, id)?;
                super::totp::check_code(c, id, &current, &code, &email)
            }
            SecondFactor { recovery_code: Some(code), .. } => {
                Ok(super::totp::use_recovery_code(c, id, &code, db::now())?)
            }
            _ => Ok(false),
        })
        .await
}

/// Counts a failed sign-in for the account and the address; tells the owner (if
/// the account exists) once when it gets locked.
async fn record_failure(
    state: &AppState,
    account: String,
    address: String,
    owner: Option<(Email, StaffLanguage)>,
) -> Result<(), AppError> {
    let s = &state.settings;
    let limits = (s.login_delay_after, s.login_lock_after, s.login_lock_minutes, s.login_address_delay_after);
    let exists = owner.is_some();
    let notify = state
        .db
        .write(move |c| {
            let now = db::now();
            let row = throttle::record_failure(c, &account, now, limits.0, Some((limits.1, limits.2)))?;
            throttle::record_failure(c, &address, now, limits.3, None)?;
            let locked = row.failures >= limits.1;
            Ok::<_, AppError>(locked && exists && throttle::mark_lock_notified(c, &account, now)?)
        })
        .await?;
    if notify && let Some((to, language)) = owner {
        tracing::warn!("account locked after repeated failed sign-ins");
        {
            let message = crate::mail::account_templates::account_locked(language, limits.2);
            if let Err(e) = state.mailer.send(&to, message).await {
                tracing::warn!(error = %e, "lock notice not sent");
            }
        }
    }
    Ok(())
}

fn store_refresh_token(
    conn: &mut AnyConnection,
    user: UserId,
    family: &str,
    token: &str,
    ttl: Duration,
    family_end: Option<chrono::NaiveDateTime>,
) -> diesel::QueryResult<()> {
    let now = db::now();
    // A refresh never outlives the sign-in it belongs to.
    let expires_at = family_end.map_or(now + ttl, |end| end.min(now + ttl));
    tokens_store::insert(
        conn,
        &NewRefreshToken {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: user.to_string(),
            family_id: family,
            token_hash: &hash_refresh_token(token),
            created_at: now,
            expires_at,
            family_expires_at: family_end,
        },
    )
}

fn session(state: &AppState, user: User, refresh_token: String) -> Result<Session, AppError> {
    let access_token = state
        .tokens
        .issue(user.id, user.role, user.token_version, chrono::Utc::now().timestamp())
        .map_err(|e| AppError::internal(format!("signing access token: {e}")))?;
    Ok(Session { user, access_token, expires_in: state.tokens.ttl_secs(), refresh_token })
}

enum Rotation {
    Rotated(User, String),
    Refused,
}

/// Exchanges a refresh token for a new pair. Presenting a token that was already
/// used revokes its whole family: whoever holds a stolen copy is logged out too.
pub async fn refresh(state: &AppState, presented: String) -> Result<Session, AppError> {
    let ttl = Duration::days(i64::try_from(state.settings.refresh_token_ttl_days).unwrap_or(30));
    let outcome = state
        .db
        .write(move |c| {
            let now = db::now();
            let Some(token) = tokens_store::find_by_hash(c, &hash_refresh_token(&presented))? else {
                return Ok::<_, AppError>(Rotation::Refused);
            };
            if token.revoked_at.is_some()
                || token.expires_at <= now
                || token.family_expires_at.is_some_and(|e| e <= now)
            {
                return Ok(Rotation::Refused);
            }
            if token.used_at.is_some() || !tokens_store::mark_used(c, &token.id, now)? {
                tracing::warn!(family = %token.family_id, "refresh token reuse detected; family revoked");
                tokens_store::revoke_family(c, &token.family_id, now)?;
                return Ok(Rotation::Refused);
            }
            let user = token.user_id;
            let Some(account) = users::account(c, user)?.filter(|u| u.active) else {
                return Ok(Rotation::Refused);
            };
            let next = new_refresh_token();
            store_refresh_token(c, user, &token.family_id, &next, ttl, token.family_expires_at)?;
            Ok(Rotation::Rotated(account, next))
        })
        .await?;
    match outcome {
        Rotation::Rotated(user, token) => session(state, user, token),
        Rotation::Refused => Err(AppError::Unauthorized(BAD_REFRESH)),
    }
}

/// Revokes the family of the presented refresh token, and ends the account's
/// access tokens at once (its other sessions get new ones by refreshing). Unknown
/// tokens are ignored so that logout never tells anything about a token.
pub async fn logout(state: &AppState, presented: String) -> Result<(), AppError> {
    state
        .db
        .write(move |c| {
            if let Some(token) = tokens_store::find_by_hash(c, &hash_refresh_token(&presented))? {
                tokens_store::revoke_family(c, &token.family_id, db::now())?;
                users::end_access_tokens(c, token.user_id)?;
            }
            Ok(())
        })
        .await
}

// Key rotation of TOTP secrets (used by `rotation`).
pub use super::totp::{rewrap_totp, totp_context, totp_key_usage, totp_keys_after};

// ---------------------------------------------------------------------------
// Second factor enrolment (the API's `/me/totp` and the console's enrolment page)

/// Starts enrolling a second factor: a new secret replaces an unconfirmed one.
/// Call inside a write transaction.
pub fn begin_enrolment(
    c: &mut AnyConnection,
    keys: &crate::crypto::MasterKeyRing,
    id: UserId,
) -> Result<super::totp_routes::Enrolment, AppError> {
    let user = users::account(c, id)?.ok_or(AppError::NotFound)?;
    if user.two_factor {
        return Err(AppError::Conflict("A second factor is already enrolled; an admin can reset it.".into()));
    }
    let (secret, sealed) = super::totp::new_secret(keys, id)?;
    super::totp::store_pending(c, id, &sealed)?;
    enrolment_for(secret, user.email.as_str())
}

/// The secret, its otpauth URI and QR code, for an authenticator app.
fn enrolment_for(secret: Vec<u8>, account: &str) -> Result<super::totp_routes::Enrolment, AppError> {
    let t = super::totp::totp(secret, account)?;
    Ok(super::totp_routes::Enrolment {
        secret: t.secret().to_base32(),
        otpauth_uri: t.to_url().map_err(|e| AppError::internal(format!("otpauth: {e}")))?,
        qr_png_base64: t.to_qr_base64().map_err(|e| AppError::internal(format!("qr: {e}")))?,
    })
}

/// The enrolment started and not yet confirmed (to show it again).
pub fn pending_enrolment(
    c: &mut AnyConnection,
    keys: &crate::crypto::MasterKeyRing,
    id: UserId,
) -> Result<Option<super::totp_routes::Enrolment>, AppError> {
    let user = users::account(c, id)?.ok_or(AppError::NotFound)?;
    let current = super::totp::load(c, keys, id)?;
    match current.secret {
        Some(secret) if !current.enabled => Ok(Some(enrolment_for(secret, user.email.as_str())?)),
        _ => Ok(None),
    }
}

/// Confirms enrolment with a first code; answers the recovery codes (shown once).
/// Every session of the account ends: the person signs in again with a code. Call
/// inside a write transaction.
pub fn confirm_enrolment(
    c: &mut AnyConnection,
    keys: &crate::crypto::MasterKeyRing,
    id: UserId,
    code: &str,
) -> Result<Vec<String>, AppError> {
    use crate::audit::{self, Action};
    let user = users::account(c, id)?.ok_or(AppError::NotFound)?;
    let current = super::totp::load(c, keys, id)?;
    if current.enabled {
        return Err(AppError::Conflict("A second factor is already enrolled.".into()));
    }
    if current.secret.is_none() {
        return Err(AppError::Conflict("Start with POST /api/v1/me/totp.".into()));
    }
    if !super::totp::check_code(c, id, &current, code, user.email.as_str())? {
        return Err(AppError::invalid("code", "does not match the authenticator app"));
    }
    let now = db::now();
    let codes = super::totp::enable(c, id, now)?;
    // Tokens issued on the password alone must not gain what a second factor
    // opens: every session ends, and the person signs in with a code.
    users::end_sessions(c, id, now)?;
    audit::record(c, Some(id), Action::SecondFactorEnrolled, None, Some(&id.to_string()))?;
    Ok(codes)
}

/// Removes someone's second factor (admin): audited, every session of the account
/// ends, and the person is told by e-mail (a mail refused is logged, not an error).
pub async fn reset_second_factor(state: &AppState, actor: UserId, id: UserId) -> Result<(), AppError> {
    let user = state
        .db
        .write(move |c| {
            let user = users::account(c, id)?.ok_or(AppError::NotFound)?;
            super::totp::clear(c, id)?;
            users::end_sessions(c, id, db::now())?;
            crate::audit::record(c, Some(actor), crate::audit::Action::SecondFactorReset, None, Some(&id.to_string()))?;
            Ok::<_, AppError>(user)
        })
        .await?;
    let message = crate::mail::account_templates::totp_reset(user.language);
    if let Err(e) = state.mailer.send(&user.email, message).await {
        tracing::warn!(error = %e, "second-factor reset notice not sent");
    }
    Ok(())
}
