//! Browser sessions of the console. The cookie holds 256 random bits; the database
//! holds only their SHA-256 (a copy of the table signs nobody in), the account, a
//! CSRF token and when the session was last used. Every request re-reads the
//! account, so a deactivated account or a changed role ends the session at once;
//! an idle session ends after `SAFERELAY_CONSOLE_IDLE_MINUTES`.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use chrono::Duration;

use super::store::{self, NewConsoleSession};
use crate::crypto::tokens::{hash_refresh_token, new_refresh_token};
use crate::db;
use crate::domain::{StaffLanguage, UserId};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::users::caller::AuthUser;
use crate::users::model::User;
use crate::users::service as users;

/// The cookie's name: with https, `__Host-` binds it to this exact origin (no
/// `Domain`, path `/`, `Secure`).
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.settings.public_url_is_https() { "__Host-saferelay-console" } else { "saferelay-console" }
}

/// A signed-in console user.
pub struct ConsoleSession {
    pub auth: AuthUser,
    /// The stored id (hash of the cookie's token).
    pub id: String,
    pub csrf: String,
    pub language: StaffLanguage,
}

/// Opens a session; answers the cookie's token (shown to the browser only).
pub async fn open(state: &AppState, user: &User) -> Result<String, AppError> {
    let (user_id, language) = (user.id, user.language);
    let token_version = i32::try_from(user.token_version).map_err(AppError::internal)?;
    let token = new_refresh_token();
    let id = hash_refresh_token(&token);
    let csrf = new_refresh_token();
    state
        .db
        .write(move |c| {
            let now = db::now();
            store::insert_session(
                c,
                &NewConsoleSession {
                    id: &id,
                    user_id: user_id.to_string(),
                    csrf_token: &csrf,
                    language: language.as_str(),
                    token_version,
                    created_at: now,
                    last_seen_at: now,
                },
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(token)
}

/// Why a request has no session.
pub enum NoSession {
    /// No cookie, or one the database does not know.
    Missing,
    /// The session was idle too long (it is deleted).
    TimedOut,
    /// The account may not use the console now (deactivated, role changed, or a
    /// second factor it must enrol first).
    Refused(AppError),
}

impl From<AppError> for NoSession {
    fn from(e: AppError) -> Self {
        Self::Refused(e)
    }
}

/// The request's session. `touch`: the request is the user's own doing (a page,
/// an action), so it counts as activity; a background refresh of the queue does
/// not, or an open queue would never time out.
pub async fn current(req: &HttpRequest, state: &AppState, touch: bool) -> Result<ConsoleSession, NoSession> {
    let Some(token) = req.cookie(cookie_name(state)).map(|c| c.value().to_string()) else {
        return Err(NoSession::Missing);
    };
    let id = hash_refresh_token(&token);
    let idle = Duration::minutes(i64::from(state.settings.console_idle_minutes));
    // The transaction commits whatever the answer: a session found idle or whose
    // account is gone is deleted for good, not rolled back with a refusal.
    let outcome = state
        .db
        .write(move |c| {
            let now = db::now();
            let Some(row) = store::find_session(c, &id)? else { return Ok(Err(NoSession::Missing)) };
            if row.last_seen_at + idle <= now {
                store::delete_session(c, &id)?;
                return Ok(Err(NoSession::TimedOut));
            }
            let user_id = UserId::parse(&row.user_id).ok_or_else(|| db::corrupt("console_sessions", "user_id"))?;
            // A deactivated account, or one whose sessions ended since (logout
            // elsewhere, password change or reset, second factor enrolled or reset).
            let current = |u: &User| u.active && u.token_version == i64::from(row.token_version);
            let Some(user) = users::account(c, user_id)?.filter(current) else {
                store::delete_session(c, &id)?;
                return Ok(Err(NoSession::Missing));
            };
            // Written at most once a minute: an idle limit counted in minutes does
            // not need a write per click.
            if touch && row.last_seen_at + Duration::seconds(60) <= now {
                store::touch_session(c, &id, now)?;
            }
            let language = row.language.parse().unwrap_or(user.language);
            let session = ConsoleSession {
                auth: AuthUser { id: user.id, role: user.role, scope: user.scope, language: user.language },
                id,
                csrf: row.csrf_token,
                language,
            };
            Ok::<_, AppError>(Ok((session, user.two_factor)))
        })
        .await;
    let (session, two_factor) = outcome.map_err(NoSession::Refused)??;
    // The same policy as the API's (an account that must enrol reaches nothing).
    if state.settings.totp_required_for(session.auth.role) && !two_factor {
        return Err(NoSession::Refused(AppError::SecondFactorEnrolmentRequired));
    }
    Ok(session)
}

/// Ends this session.
pub async fn close(state: &AppState, id: String) -> Result<(), AppError> {
    state.db.write(move |c| Ok::<_, AppError>(store::delete_session(c, &id).map(|_| ())?)).await
}

/// Ends every console session of the account, and its API sign-ins (refresh and
/// access tokens): "sign out everywhere".
pub async fn close_all(state: &AppState, user: UserId) -> Result<(), AppError> {
    state
        .db
        .write(move |c| {
            store::delete_sessions_of(c, user)?;
            users::end_sessions(c, user, db::now())?;
            users::end_access_tokens(c, user)?;
            Ok::<_, AppError>(())
        })
        .await
}

/// Switches the session's language.
pub async fn set_language(state: &AppState, id: String, language: StaffLanguage) -> Result<(), AppError> {
    state
        .db
        .write(move |c| {
            store::set_session_language(c, &id, language.as_str())?;
            Ok::<_, AppError>(())
        })
        .await
}

/// A console cookie: `HttpOnly`, `SameSite=Strict`, path `/`, and with https
/// `Secure` and the `__Host-` prefix (bound to this exact origin). Without
/// `Max-Age` it is a browser-session cookie.
pub fn strict_cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_path("/");
    c.set_secure(state.settings.public_url_is_https());
    c
}

/// A cookie that removes `cookie`.
pub fn removal_of(mut cookie: Cookie<'static>) -> Cookie<'static> {
    cookie.make_removal();
    cookie
}

/// The session cookie (closing the browser ends it too).
pub fn cookie(state: &AppState, token: String) -> Cookie<'static> {
    strict_cookie(state, cookie_name(state), token)
}

/// A cookie that removes the session cookie.
pub fn removal(state: &AppState) -> Cookie<'static> {
    removal_of(cookie(state, String::new()))
}

/// Whether `presented` is the session's CSRF token (compared without an early exit).
pub fn csrf_matches(session: &ConsoleSession, presented: &str) -> bool {
    let (a, b) = (hash_refresh_token(&session.csrf), hash_refresh_token(presented));
    a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
