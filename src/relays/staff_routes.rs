//! Endpoints for relay staff: invitations (managers), acceptance (the invitee,
//! unauthenticated: the token is the credential), listing and deactivation.

use super::staff::{self, InviteStaff};
use super::staff_import::{self, StaffImportReport};
use crate::auth::password_policy::ChosenPassword;
use crate::auth::routes::client_address;
use crate::domain::{Email, RelayPointId, StaffLanguage, UserId};
use crate::http::csv::CsvBody;
use crate::http::error::AppError;
use crate::http::json::StrictJson;
use crate::http::pagination::Page;
use crate::http::query::ImportQuery;
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, Conflict, NotFound, TooManyRequests, Unprocessable};
use crate::state::AppState;
use crate::users::caller::{AuthUser, managed_programme};
use crate::users::invitations;
use crate::users::invitations::Pending;
use crate::users::model::UserView;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /api/v1/invitations`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub email: String,
    pub relay_point_id: RelayPointId,
    /// Language of the invitation and later e-mails (default `en`).
    pub language: Option<StaffLanguage>,
}

impl TryFrom<InviteRequest> for InviteStaff {
    type Error = AppError;
    fn try_from(r: InviteRequest) -> Result<Self, AppError> {
        let email = Email::parse(&r.email).map_err(|e| AppError::Validation(vec![e]))?;
        Ok(Self { email, relay_point_id: r.relay_point_id, language: r.language.unwrap_or_default() })
    }
}

/// An invitation sent (the token travels only in the e-mail).
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub user_id: UserId,
    pub relay_point_id: RelayPointId,
    pub expires_at: DateTime<Utc>,
    /// False when the mail server refused the message: invite again.
    pub email_sent: bool,
}

/// Body of `POST /api/v1/invitations/{token}/accept`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// At least 12 characters, not a common password.
    pub password: String,
}

/// Filters of `GET /api/v1/staff`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StaffQuery {
    pub relay_point_id: Option<RelayPointId>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Invite a staff member to a relay point of the manager's programme (re-inviting
/// revokes the previous token).
#[utoipa::path(
    tag = "relays",
    request_body = InviteRequest,
    responses(
        (status = 201, body = InvitationView),
        BodyErrors, AuthErrors, Conflict,
    ),
    security(("bearer" = []))
)]
#[post("/invitations")]
pub async fn invite_staff(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<InviteRequest>,
) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    let invited = staff::invite(&state, programme, auth.id, InviteStaff::try_from(body.into_inner()?)?).await?;
    Ok(HttpResponse::Created().json(InvitationView {
        user_id: invited.user_id,
        relay_point_id: invited.relay_point_id,
        expires_at: invited.expires_at.and_utc(),
        email_sent: invited.email_sent,
    }))
}

/// Accept an invitation (to any role) by choosing a password. Unknown, used, revoked
/// or expired tokens are 404, found out before any password hashing; a client
/// address that keeps presenting bad tokens gets 429.
#[utoipa::path(
    tag = "relays",
    params(("token" = String, Path, description = "The one-time token from the invitation e-mail")),
    request_body = AcceptInvitationRequest,
    responses(
        (status = 200, body = UserView),
        BodyErrors, NotFound, TooManyRequests,
    )
)]
#[post("/invitations/{token}/accept")]
pub async fn accept_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: StrictJson<AcceptInvitationRequest>,
) -> Result<web::Json<UserView>, AppError> {
    let password = ChosenPassword::parse(body.into_inner()?.password).map_err(|e| AppError::Validation(vec![e]))?;
    let client = client_address(&req, &state.settings.trusted_proxy_nets().unwrap_or_default());
    Ok(web::Json(invitations::accept(&state, &token, password, &client).await?.into()))
}

/// List the staff of the manager's programme, by e-mail.
#[utoipa::path(
    tag = "relays",
    params(StaffQuery),
    responses(
        (status = 200, body = Page<UserView>),
        AuthErrors, BadQuery, Unprocessable, NotFound,
    ),
    security(("bearer" = []))
)]
#[get("/staff")]
pub async fn list_staff(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<StaffQuery>,
) -> Result<web::Json<Page<UserView>>, AppError> {
    let programme = managed_programme(&auth)?;
    let q = query.into_inner();
    let page = crate::http::pagination::PageQuery { limit: q.limit, cursor: q.cursor };
    let users = staff::list(&state, programme, q.relay_point_id, page.after()?, page.limit()?).await?;
    Ok(web::Json(users.map(Into::into)))
}

/// Deactivate a staff member of the manager's programme; sessions and open
/// invitations are revoked at once.
#[utoipa::path(
    tag = "relays",
    params(("id" = String, Path, description = "User id of the staff member")),
    responses(
        (status = 200, body = UserView),
        AuthErrors, NotFound,
    ),
    security(("bearer" = []))
)]
#[post("/staff/{id}/deactivate")]
pub async fn deactivate_staff(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<UserView>, AppError> {
    let programme = managed_programme(&auth)?;
    let id = UserId::parse(&id).ok_or(AppError::NotFound)?;
    Ok(web::Json(staff::deactivate(&state, programme, auth.id, id).await?.into()))
}

/// Invite staff in bulk from CSV into the manager's programme. Header:
/// `email,relay_point_external_id,language` (`language` optional: en, fr, nl, de;
/// default en). With `dry_run=true`, nothing is written and no e-mail sent: the
/// report says who would be invited, re-invited or left alone, and every error.
#[utoipa::path(
    tag = "relays",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = StaffImportReport, description = "Invited, or (dry run) what would be done and every row error"),
        BodyErrors, AuthErrors,
        (status = 422, body = crate::http::error::Problem, content_type = "application/problem+json", description = "Rows with errors (`rows[N].column`); nobody invited"),
    ),
    security(("bearer" = []))
)]
#[post("/invitations/import")]
pub async fn import_invitations(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ImportQuery>,
    body: CsvBody,
) -> Result<web::Json<StaffImportReport>, AppError> {
    let programme = managed_programme(&auth)?;
    let dry_run = query.dry_run.unwrap_or(false);
    Ok(web::Json(staff_import::import(&state, programme, auth.id, body.into_inner()?, dry_run).await?))
}

/// An invitation of a staff member not accepted yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingInvitationView {
    pub user_id: UserId,
    pub email: String,
    pub relay_point_id: Option<RelayPointId>,
    pub language: StaffLanguage,
    pub invited_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The link has expired: re-send the invitation.
    pub expired: bool,
}

impl From<Pending> for PendingInvitationView {
    fn from(p: Pending) -> Self {
        Self {
            user_id: p.user_id,
            email: p.email.as_str().to_string(),
            relay_point_id: p.relay_point_id,
            language: p.language,
            invited_at: p.created_at.and_utc(),
            expires_at: p.expires_at.and_utc(),
            expired: p.expires_at <= crate::db::now(),
        }
    }
}

/// The staff of the manager's programme who have not accepted their invitation
/// yet, oldest invitation first.
#[utoipa::path(
    tag = "relays",
    responses(
        (status = 200, body = Vec<PendingInvitationView>),
        AuthErrors,
    ),
    security(("bearer" = []))
)]
#[get("/invitations")]
pub async fn list_pending_invitations(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<Vec<PendingInvitationView>>, AppError> {
    let programme = managed_programme(&auth)?;
    Ok(web::Json(staff_import::pending(&state, programme).await?.into_iter().map(Into::into).collect()))
}

fn staff_id(raw: &str) -> Result<UserId, AppError> {
    UserId::parse(raw).ok_or(AppError::NotFound)
}

/// Send a staff member's invitation again (a new link; the previous one stops
/// working). 409 when they have no invitation waiting (accepted or revoked).
#[utoipa::path(
    tag = "relays",
    params(("id" = String, Path, description = "User id of the staff member")),
    responses(
        (status = 201, body = InvitationView),
        AuthErrors, NotFound, Conflict,
    ),
    security(("bearer" = []))
)]
#[post("/staff/{id}/invitation/resend")]
pub async fn resend_invitation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    let invited = staff_import::resend(&state, programme, auth.id, staff_id(&id)?).await?;
    Ok(HttpResponse::Created().json(InvitationView {
        user_id: invited.user_id,
        relay_point_id: invited.relay_point_id,
        expires_at: invited.expires_at.and_utc(),
        email_sent: invited.email_sent,
    }))
}

/// Revoke a staff member's invitation not accepted yet: its link stops working.
/// 409 when they have no invitation waiting (accepted or revoked).
#[utoipa::path(
    tag = "relays",
    params(("id" = String, Path, description = "User id of the staff member")),
    responses(
        (status = 204, description = "Revoked"),
        AuthErrors, NotFound, Conflict,
    ),
    security(("bearer" = []))
)]
#[post("/staff/{id}/invitation/revoke")]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    staff_import::revoke(&state, programme, auth.id, staff_id(&id)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
