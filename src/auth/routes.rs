//! Sign-in endpoints: login, refresh, logout, and `GET /me`.

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
}

/// Body of `POST /api/v1/auth/refresh` and `POST /api/v1/auth/logout`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A new session: a short-lived access token and a single-use refresh token.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Single use: each refresh returns a new one; reusing an old one ends the session.
    pub refresh_token: String,
    pub user: UserView,
}

impl From<Session> for TokenResponse {
    fn from(s: Session) -> Self {
        Self {
            access_token: s.access_token,
            token_type: "Bearer".into(),
            expires_in: s.expires_in,
            refresh_token: s.refresh_token,
            user: s.user.into(),
        }
    }
}

/// Sign in with e-mail and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        BodyErrors, Unauthorized, TooManyRequests,
        (status = 503, body = Problem, content_type = "application/problem+json",
            description = "The password-hashing queue is full (or the database is unavailable); retry after Retry-After"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: StrictJson<LoginRequest>,
) -> Result<web::Json<TokenResponse>, Localised> {
    // Nobody is signed in yet: errors follow `Accept-Language`.
    let language = accept_language(&req).unwrap_or_default();
    async {
        let LoginRequest { email, password, totp_code, recovery_code } = body.into_inner()?;
        let client = client_address(&req, state.settings.trust_forwarded_for);
        let second = service::SecondFactor { totp_code, recovery_code };
        Ok(web::Json(service::login(&state, &email, password, second, &client).await?.into()))
    }
    .await
    .map_err(|e| Localised(e, language))
}

/// The client's address: the TCP peer, or `X-Forwarded-For` behind a trusted proxy.
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    let info = req.connection_info();
    let addr = if trust_forwarded_for { info.realip_remote_addr() } else { info.peer_addr() };
    addr.unwrap_or("unknown").to_string()
}

/// Exchange a refresh token for a new access token and refresh token.
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
) -> Result<web::Json<TokenResponse>, Localised> {
    let language = accept_language(&req).unwrap_or_default();
    async { Ok(web::Json(service::refresh(&state, body.into_inner()?.refresh_token).await?.into())) }
        .await
        .map_err(|e| Localised(e, language))
}

/// End a session: the refresh token and every token rotated from it stop working.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        BodyErrors,
    )
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, body: StrictJson<RefreshRequest>) -> Result<HttpResponse, AppError> {
    service::logout(&state, body.into_inner()?.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
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

/// Ask for a password reset e-mail. Answers 202 whether or not the address has an account.
#[utoipa::path(
    tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "If the address has an account, a reset code is on its way"),
        BodyErrors,
    )
)]
#[post("/password-resets")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    body: StrictJson<ResetRequest>,
) -> Result<HttpResponse, AppError> {
    super::reset::request(&state, &body.into_inner()?.email).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Set a new password with the code from the e-mail (valid one hour, once); every
/// session of the account ends.
#[utoipa::path(
    tag = "auth",
    params(("token" = String, Path, description = "The code from the e-mail")),
    request_body = ResetAccept,
    responses(
        (status = 204, description = "Password changed; sign in again"),
        BodyErrors, NotFound,
    )
)]
#[post("/password-resets/{token}/accept")]
pub async fn accept_password_reset(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: StrictJson<ResetAccept>,
) -> Result<HttpResponse, AppError> {
    let password = ChosenPassword::parse(body.into_inner()?.password).map_err(|e| AppError::Validation(vec![e]))?;
    super::reset::accept(&state, &token, password).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(me)
        .service(request_password_reset)
        .service(accept_password_reset);
}
