//! Endpoints of the second factor: enrol, confirm, and the admin reset.

use crate::domain::Role;
use crate::domain::UserId;
use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::error::AppError;
use crate::http::json::StrictJson;
use crate::http::responses::{AuthErrors, BodyErrors, Conflict, NotFound, Unauthorized};
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// A new TOTP secret to put in an authenticator app.
#[derive(Serialize, ToSchema)]
pub struct Enrolment {
    /// Base32, for typing in by hand.
    pub secret: String,
    /// `otpauth://totp/...`, what the QR code encodes.
    pub otpauth_uri: String,
    /// The QR code as a base64 PNG.
    pub qr_png_base64: String,
}

/// Body of `POST /api/v1/me/totp/confirm`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    pub code: String,
}

/// Recovery codes, shown only in this response.
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Start enrolling a second factor (a new secret replaces an unconfirmed one).
#[utoipa::path(tag = "auth", responses(
    (status = 201, body = Enrolment),
    Unauthorized, Conflict,
), security(("bearer" = [])))]
#[post("/me/totp")]
pub async fn start_totp(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, AppError> {
    let (keys, id) = (state.master_keys.clone(), auth.id);
    let enrolment = state.db.write(move |c| super::service::begin_enrolment(c, &keys, id)).await?;
    Ok(HttpResponse::Created().json(enrolment))
}

/// Confirm enrolment with a first code; answers the recovery codes (shown once).
/// Every session of the account ends: sign in again with a code.
#[utoipa::path(tag = "auth", request_body = ConfirmRequest, responses(
    (status = 200, body = RecoveryCodes),
    BodyErrors, Unauthorized, Conflict,
), security(("bearer" = [])))]
#[post("/me/totp/confirm")]
pub async fn confirm_totp(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<ConfirmRequest>,
) -> Result<web::Json<RecoveryCodes>, AppError> {
    let code = body.into_inner()?.code;
    let (keys, id) = (state.master_keys.clone(), auth.id);
    let codes = state.db.write(move |c| super::service::confirm_enrolment(c, &keys, id, &code)).await?;
    Ok(web::Json(RecoveryCodes { recovery_codes: codes }))
}

/// Remove someone's second factor (admin): audited, their sessions end, and the
/// person is told by e-mail.
#[utoipa::path(tag = "users", params(("id" = String, Path)), responses(
    (status = 204, description = "Second factor removed; the person enrols again"),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[post("/users/{id}/totp/reset")]
pub async fn reset_totp(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth.require(&[Role::Admin])?;
    let id = UserId::parse(&id).ok_or(AppError::NotFound)?;
    super::service::reset_second_factor(&state, auth.id, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(start_totp).service(confirm_totp).service(reset_totp);
}
