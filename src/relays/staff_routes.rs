//! Endpoints for relay staff: invitations (managers), acceptance (the invitee,
//! unauthenticated: the token is the credential), listing and deactivation.

use super::staff::{self, InviteStaff};
use crate::auth::password_policy::ChosenPassword;
use crate::auth::routes::client_address;
use crate::domain::{Email, RelayPointId, StaffLanguage, UserId};
use crate::http::error::AppError;
use crate::http::json::StrictJson;
use crate::http::pagination::Page;
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, Conflict, NotFound, TooManyRequests, Unprocessable};
use crate::state::AppState;
use crate::users::caller::{AuthUser, managed_programme};
use crate::users::invitations;
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
