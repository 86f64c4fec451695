//! Sign-in endpoints: login, refresh, logout, and `GET /me`.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::password_policy::ChosenPassword;
use super::service::{self, Session};
use crate::http::error::{AppError, Localised, Problem};
use crate::http::error_text::accept_language;
use crate::http::json::StrictJson;
use crate::http::responses::{BodyErrors, NotFound, TooManyRequests, Unauthorized};
use crate::state::AppState;
use crate::users::caller::AuthUser;
use crate::users::model::UserView;
use crate::users::service as users_service;
use ipnet::IpNet;
use std::net::IpAddr;

/// Body of `POST /api/v1/auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The current code of the authenticator app, when the account has two factors.
    pub totp_code: Option<String>,
    /// A one-time recovery code, instead of `totp_code`.
    pub recovery_code: Option<String>,
    /// For browser apps: set the refresh token as an `HttpOnly`, `SameSite=Strict`
    /// cookie limited to `/api/v1/auth` (`Secure` with https) instead of returning
    /// it in the body, so no script of the page can read it.
    #[serde(default)]
    pub refresh_in_cookie: bool,
}

/// Body of `POST /api/v1/auth/refresh` and `POST /api/v1/auth/logout`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token; absent, the refresh-token cookie set by a sign-in with
    /// `refresh_in_cookie` is used (and the new one is set as a cookie again).
    pub refresh_token: Option<String>,
    /// With a `refresh_token` in the body: answer the new one as a cookie instead.
    #[serde(default)]
    pub refresh_in_cookie: bool,
}

/// The refresh-token cookie's name: `__Secure-` with https, so a browser only
/// accepts it from a secure origin.
fn refresh_cookie_name(state: &AppState) -> &'static str {
    if state.settings.public_url_is_https() { "__Secure-saferelay_refresh" } else { "saferelay_refresh" }
}

/// The refresh-token cookie: out of script reach (`HttpOnly`), sent only to the
/// sign-in endpoints of this site (`Path=/api/v1/auth`, `SameSite=Strict`), for
/// as long as the refresh token lives.
fn refresh_cookie(state: &AppState, token: String) -> Cookie<'static> {
    let mut c = Cookie::new(refresh_cookie_name(state), token);
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_path("/api/v1/auth");
    c.set_secure(state.settings.public_url_is_https());
    let days = i64::try_from(state.settings.refresh_token_ttl_days).unwrap_or(30);
    c.set_max_age(actix_web::cookie::time::Duration::days(days));
    c
}

fn refresh_cookie_removal(state: &AppState) -> Cookie<'static> {
    let mut c = refresh_cookie(state, String::new());
    c.make_removal();
    c
}

/// The session as answered: the refresh token in the body, or in a cookie.
fn answer(state: &AppState, session: Session, in_cookie: bool) -> Result<HttpResponse, AppError> {
    let mut body = TokenResponse::from(session);
    let mut resp = HttpResponse::Ok();
    if in_cookie && let Some(token) = body.refresh_token.take() {
        resp.cookie(refresh_cookie(state, token));
    }
    Ok(resp.json(body))
}

/// The refresh token of a request: the body's, else the cookie's.
fn presented(req: &HttpRequest, state: &AppState, body: Option<String>) -> Option<String> {
    body.or_else(|| req.cookie(refresh_cookie_name(state)).map(|c| c.value().to_string())).filter(|t| !t.is_empty())
}

/// A new session: a short-lived access token and a single-use refresh token.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: each refresh returns a new one; reusing an old one ends the
    /// session. Absent when it was set as a cookie (`refresh_in_cookie`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub user: UserView,
}

impl From<Session> for TokenResponse {
    fn from(s: Session) -> Self {
        Self {
            access_token: s.access_token,
            token_type: "Bearer".into(),
            expires_in: s.expires_in,
            refresh_token: Some(s.refresh_token),
            user: s.user.into(),
        }
    }
}

/// Sign in with e-mail and password. With `refresh_in_cookie`, the refresh token
/// is set as an `HttpOnly` cookie (path `/api/v1/auth`) instead of in the body.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        BodyErrors, Unauthorized, TooManyRequests,
        (status = 403, body = Problem, content_type = "application/problem+json",
            description = "`second_factor_unreadable`: the TOTP secret can no longer be opened (sealed under a retired master key); sign in with a recovery code, or an admin resets the second factor"),
        (status = 503, body = Problem, content_type = "application/problem+json",
            description = "The password-hashing queue is full (or the database is unavailable); retry after Retry-After"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: StrictJson<LoginRequest>,
) -> Result<HttpResponse, Localised> {
    // Nobody is signed in yet: errors follow `Accept-Language`.
    let language = accept_language(&req).unwrap_or_default();
    async {
        let LoginRequest { email, password, totp_code, recovery_code, refresh_in_cookie } = body.into_inner()?;
        let trusted = state.settings.trusted_proxy_nets().unwrap_or_default();
        let client = client_address(&req, &trusted);
        let second = service::SecondFactor { totp_code, recovery_code };
        answer(&state, service::login(&state, &email, password, second, &client).await?, refresh_in_cookie)
    }
    .await
    .map_err(|e| Localised(e, language))
}

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the
/// rightmost `X-Forwarded-For` address that is not one (the leftmost entries are
/// whatever the client chose to send).
pub fn client_address(req: &HttpRequest, trusted: &[IpNet]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return "unknown".into() };
    let forwarded: Vec<&str> =
        req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).collect();
    client_ip(peer, &forwarded, trusted).to_string()
}

fn client_ip(peer: IpAddr, forwarded: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => client = ip,
            // A malformed entry ends the trusted chain: the last hop that set it is the client.
            Err(_) => break,
        }
    }
    client
}

/// Exchange a refresh token for a new access token and refresh token. Without
/// `refresh_token` in the body, the refresh-token cookie is used and the new one
/// is set as a cookie again.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        BodyErrors, Unauthorized,
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: StrictJson<RefreshRequest>,
) -> Result<HttpResponse, Localised> {
    let language = accept_language(&req).unwrap_or_default();
    async {
        let RefreshRequest { refresh_token, refresh_in_cookie } = body.into_inner()?;
        let in_cookie = refresh_in_cookie || refresh_token.is_none();
        let token = presented(&req, &state, refresh_token).ok_or_else(|| {
            AppError::invalid(
                "refresh_token",
                "required (or the refresh-token cookie a sign-in with refresh_in_cookie set)",
            )
        })?;
        answer(&state, service::refresh(&state, token).await?, in_cookie)
    }
    .await
    .map_err(|e| Localised(e, language))
}

/// End a session: the refresh token and every token rotated from it stop working.
/// Without `refresh_token` in the body, the refresh-token cookie's session ends;
/// the cookie is removed either way.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        BodyErrors,
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: StrictJson<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    if let Some(token) = presented(&req, &state, body.into_inner()?.refresh_token) {
        service::logout(&state, token).await?;
    }
    Ok(HttpResponse::NoContent().cookie(refresh_cookie_removal(&state)).finish())
}

/// Sign out everywhere: every session of the caller's account ends at once —
/// refresh tokens, access tokens, console sessions — and every device's push
/// subscription is removed. What a staff member does when a phone or the counter
/// tablet is lost, from any other device.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 204, description = "Every session of the account ended"),
        Unauthorized,
    ),
    security(("bearer" = []))
)]
#[post("/auth/logout-everywhere")]
pub async fn logout_everywhere(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, AppError> {
    let user = auth.id;
    state
        .db
        .write(move |c| {
            let now = crate::db::now();
            users_service::end_sessions(c, user, now)?;
            crate::push::service::unsubscribe_all(c, user)?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(HttpResponse::NoContent().cookie(refresh_cookie_removal(&state)).finish())
}

/// The signed-in account.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, body = UserView),
        Unauthorized,
    ),
    security(("bearer" = []))
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, auth: AuthUser) -> Result<web::Json<UserView>, AppError> {
    Ok(web::Json(users_service::get(&state, auth.id).await?.into()))
}

/// Body of `POST /api/v1/password-resets`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

/// Body of `POST /api/v1/password-resets/{token}/accept`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetAccept {
    /// At least 12 characters, not a common password.
    pub password: String,
}

/// Ask for a password reset e-mail. Answers 202 whether or not the address has an
/// account (the e-mail is queued and sent by the outbox); a few requests per
/// address asked for send mail, and a client address asking too often gets 429.
#[utoipa::path(
    tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "If the address has an account, a reset code is on its way"),
        BodyErrors, TooManyRequests,
    )
)]
#[post("/password-resets")]
pub async fn request_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: StrictJson<ResetRequest>,
) -> Result<HttpResponse, AppError> {
    let client = client_address(&req, &state.settings.trusted_proxy_nets().unwrap_or_default());
    super::reset::request(&state, &body.into_inner()?.email, &client).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Set a new password with the code from the e-mail (valid one hour, once); every
/// session of the account ends. A bad code is refused before any password hashing,
/// and a client address presenting too many gets 429.
#[utoipa::path(
    tag = "auth",
    params(("token" = String, Path, description = "The code from the e-mail")),
    request_body = ResetAccept,
    responses(
        (status = 204, description = "Password changed; sign in again"),
        BodyErrors, NotFound, TooManyRequests,
    )
)]
#[post("/password-resets/{token}/accept")]
pub async fn accept_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: StrictJson<ResetAccept>,
) -> Result<HttpResponse, AppError> {
    let password = ChosenPassword::parse(body.into_inner()?.password).map_err(|e| AppError::Validation(vec![e]))?;
    let client = client_address(&req, &state.settings.trusted_proxy_nets().unwrap_or_default());
    super::reset::accept(&state, &token, password, &client).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Body of `POST /api/v1/me/password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 12 characters, not a common password.
    pub new_password: String,
}

/// Change one's own password. Every session of the account ends (other devices
/// sign in again); the answer is a new session for this one.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordChange,
    responses(
        (status = 200, body = TokenResponse),
        BodyErrors, Unauthorized, TooManyRequests,
    ),
    security(("bearer" = []))
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<PasswordChange>,
) -> Result<web::Json<TokenResponse>, AppError> {
    let PasswordChange { current_password, new_password } = body.into_inner()?;
    let new = ChosenPassword::parse(new_password).map_err(|e| {
        AppError::Validation(vec![crate::http::error::FieldError::new("new_password", e.message.clone())])
    })?;
    Ok(web::Json(service::change_password(&state, auth.id, current_password, new).await?.into()))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(logout_everywhere)
        .service(me)
        .service(change_password)
        .service(request_password_reset)
        .service(accept_password_reset);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_rightmost_address_not_a_trusted_proxy() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "127.0.0.1/32".parse().unwrap()];
        // Not from a proxy: the peer, whatever the header says.
        assert_eq!(client_ip(ip("203.0.113.9"), &["1.2.3.4"], &trusted), ip("203.0.113.9"));
        // From the proxy: the hop before it, not the client-chosen leftmost entry.
        assert_eq!(client_ip(ip("127.0.0.1"), &["6.6.6.6", "198.51.100.7"], &trusted), ip("198.51.100.7"));
        // Through two proxies.
        assert_eq!(client_ip(ip("127.0.0.1"), &["6.6.6.6", "198.51.100.7", "10.1.2.3"], &trusted), ip("198.51.100.7"));
        // Trusted all the way: the leftmost address.
        assert_eq!(client_ip(ip("127.0.0.1"), &["10.9.9.9"], &trusted), ip("10.9.9.9"));
        // No header: the proxy itself.
        assert_eq!(client_ip(ip("127.0.0.1"), &[], &trusted), ip("127.0.0.1"));
        // Nobody trusted: the peer.
        assert_eq!(client_ip(ip("127.0.0.1"), &["198.51.100.7"], &[]), ip("127.0.0.1"));
    }
}
