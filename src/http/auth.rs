//! `AuthUser`: the authenticated caller, extracted from `Authorization: Bearer`.
//! The token proves who the caller is; the account is then re-read so that a
//! deactivated user or a changed role stops working at once, not at token expiry.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use super::error::AppError;
use crate::startup::AppState;
use crate::users::model::{Role, Scope, UserId};
use crate::users::store as users_store;

/// The signed-in caller with the scope their data access is limited to.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub role: Role,
    pub scope: Scope,
}

impl AuthUser {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

const INVALID: &str = "The access token is missing, invalid or expired.";

/// What an account that must enrol a second factor may still reach.
const ENROLMENT_ROUTES: [&str; 3] = ["/api/v1/me", "/api/v1/me/totp", "/api/v1/me/totp/confirm"];

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let route = req.match_pattern();
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(|t| t.trim().to_string());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("AppState missing"))?;
            let token = bearer.ok_or(AppError::Unauthorized(INVALID))?;
            let (id, role) = state.tokens.verify(&token).map_err(|_| AppError::Unauthorized(INVALID))?;
            let row = state.db.run(move |c| users_store::find_by_id(c, id).map_err(AppError::from)).await?;
            let user = row.ok_or(AppError::Unauthorized(INVALID))?.into_user()?;
            if !user.active || user.role != role {
                return Err(AppError::Unauthorized(INVALID));
            }
            if state.settings.totp_required()
                && role.needs_second_factor()
                && !user.two_factor
                && !ENROLMENT_ROUTES.contains(&route.as_deref().unwrap_or(""))
            {
                return Err(AppError::SecondFactorEnrolmentRequired);
            }
            Ok(AuthUser { id, role, scope: user.scope })
        })
    }
}
