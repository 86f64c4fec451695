//! `AuthUser`: the authenticated caller, extracted from `Authorization: Bearer`.
//! The token proves who the caller is; the account is then re-read so that a
//! deactivated user or a changed role stops working at once, not at token expiry.

use crate::domain::{ProgrammeId, StaffLanguage, UserId};
use crate::domain::{Role, Scope};
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::db::AnyConnection;
use crate::http::error::{AppError, Localised};
use crate::http::error_text::accept_language;
use crate::state::AppState;

/// The signed-in caller with the scope their data access is limited to.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub role: Role,
    pub scope: Scope,
    /// The account's language (errors to relay staff are answered in it).
    pub language: StaffLanguage,
}

impl AuthUser {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

/// The programme a manager acts in; 403 for every other role.
pub fn managed_programme(auth: &AuthUser) -> Result<ProgrammeId, AppError> {
    auth.require(&[Role::ProgrammeManager])?;
    auth.scope.programme_id.ok_or(AppError::Forbidden)
}

const INVALID: &str = "The access token is missing, invalid or expired.";

/// What an account that must enrol a second factor may still reach.
const ENROLMENT_ROUTES: [&str; 3] = ["/api/v1/me", "/api/v1/me/totp", "/api/v1/me/totp/confirm"];

/// A verified access token, before the account behind it is re-read. Only for hot
/// paths that re-read the account themselves, inside the one trip to the database
/// they make anyway (`confirm_with`); everything else takes [`AuthUser`].
#[derive(Debug, Clone)]
pub struct Claims {
    pub id: UserId,
    pub role: Role,
    /// The account's token version the token was issued at.
    version: i64,
    route: Option<String>,
}

impl Claims {
    /// The account behind the token, as it is now: a deactivated account, a changed
    /// role or a newer token version (logout, password or second-factor change) is
    /// refused at once, and an account that must enrol a second
    /// factor reaches only the enrolment routes. `totp_required`: whether the policy
    /// requires one for the token's role (`Settings::totp_required_for`).
    pub fn confirm_with(&self, c: &mut AnyConnection, totp_required: bool) -> Result<AuthUser, AppError> {
        let user = super::service::account(c, self.id)?.ok_or(AppError::Unauthorized(INVALID))?;
        if !user.active || user.role != self.role || user.token_version != self.version {
            return Err(AppError::Unauthorized(INVALID));
        }
        if totp_required && !user.two_factor && !ENROLMENT_ROUTES.contains(&self.route.as_deref().unwrap_or("")) {
            return Err(AppError::SecondFactorEnrolmentRequired);
        }
        Ok(AuthUser { id: self.id, role: self.role, scope: user.scope, language: user.language })
    }

    /// `confirm_with` in its own trip to the database.
    pub async fn confirm(&self, state: &AppState) -> Result<AuthUser, AppError> {
        let (claims, totp_required) = (self.clone(), state.settings.totp_required_for(self.role));
        state.db.run(move |c| claims.confirm_with(c, totp_required)).await
    }
}

impl FromRequest for Claims {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(claims(req))
    }
}

fn claims(req: &HttpRequest) -> Result<Claims, AppError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| AppError::internal("AppState missing"))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .ok_or(AppError::Unauthorized(INVALID))?;
    let v = state.tokens.verify(token).map_err(|_| AppError::Unauthorized(INVALID))?;
    Ok(Claims { id: v.user, role: v.role, version: v.version, route: req.match_pattern() })
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let claims = claims(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("AppState missing"))?;
            claims?.confirm(&state).await
        })
    }
}

/// The language to answer the caller's errors in: `Accept-Language` (what the
/// device shows now), else the account's, else English.
pub fn caller_language(req: &HttpRequest, auth: Option<&AuthUser>) -> StaffLanguage {
    accept_language(req).or(auth.map(|a| a.language)).unwrap_or_default()
}

/// Runs a handler of an endpoint relay staff call, answering its errors (the
/// sign-in check's included) in the caller's language.
pub async fn in_callers_language<T, F, Fut>(
    req: &HttpRequest,
    auth: Result<AuthUser, AppError>,
    f: F,
) -> Result<T, Localised>
where
    F: FnOnce(AuthUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let language = caller_language(req, auth.as_ref().ok());
    match auth {
        Ok(auth) => f(auth).await,
        Err(e) => Err(e),
    }
    .map_err(|e| Localised(e, language))
}
