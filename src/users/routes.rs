//! Admin endpoints for accounts.

use crate::domain::{Email, HelplineId, ProgrammeId, RelayPointId, StaffLanguage, UserId};
use crate::domain::{Role, Scope};
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::UserView;
use super::service::{self, AccountFilter, NewAccount, RoleChange};
use crate::http::error::AppError;
use crate::http::json::StrictJson;
use crate::http::pagination::{Page, PageQuery};
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, Conflict, NotFound, Unprocessable};
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// Body of `POST /api/v1/users`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub email: String,
    pub role: Role,
    pub programme_id: Option<ProgrammeId>,
    pub relay_point_id: Option<RelayPointId>,
    pub helpline_id: Option<HelplineId>,
    /// Language the person is written to in (default `en`).
    pub language: Option<StaffLanguage>,
}

impl TryFrom<CreateUserRequest> for NewAccount {
    type Error = AppError;
    fn try_from(r: CreateUserRequest) -> Result<Self, AppError> {
        let email = Email::parse(&r.email).map_err(|e| AppError::Validation(vec![e]))?;
        let scope =
            Scope { programme_id: r.programme_id, relay_point_id: r.relay_point_id, helpline_id: r.helpline_id };
        NewAccount::new(email, r.role, scope, r.language.unwrap_or_default())
    }
}

/// An account invited: the one-time token travels only in the e-mail, and the
/// invitee chooses the password (`POST /api/v1/invitations/{token}/accept`).
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitedUser {
    pub user: UserView,
    /// When the invitation token stops working.
    pub expires_at: DateTime<Utc>,
    /// False when the mail server refused the message: invite again.
    pub email_sent: bool,
}

impl From<service::Invited> for InvitedUser {
    fn from(i: service::Invited) -> Self {
        Self { user: i.user.into(), expires_at: i.expires_at.and_utc(), email_sent: i.email_sent }
    }
}

/// Filters of `GET /api/v1/users`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    pub role: Option<Role>,
    /// `active` or `deactivated` accounts only.
    #[param(inline)]
    pub state: Option<AccountState>,
    /// A part of the e-mail address (case-insensitive, at most 254 characters).
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountState {
    Active,
    Deactivated,
}

impl TryFrom<&UserFilter> for AccountFilter {
    type Error = AppError;
    fn try_from(f: &UserFilter) -> Result<Self, AppError> {
        let text = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if text.is_some_and(|t| t.chars().count() > 254) {
            return Err(AppError::invalid("q", "at most 254 characters"));
        }
        Ok(AccountFilter {
            role: f.role,
            active: f.state.map(|s| matches!(s, AccountState::Active)),
            text: text.map(str::to_lowercase),
        })
    }
}

/// Parses a path id; an id that does not parse names nothing, hence 404.
fn user_id(raw: &str) -> Result<UserId, AppError> {
    UserId::parse(raw).ok_or(AppError::NotFound)
}

/// Create an account of any role (admin) and e-mail it an invitation: the person
/// chooses their password; nobody else learns it.
#[utoipa::path(
    tag = "users",
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = InvitedUser),
        BodyErrors, AuthErrors, Conflict,
    ),
    security(("bearer" = []))
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<CreateUserRequest>,
) -> Result<HttpResponse, AppError> {
    auth.require(&[Role::Admin])?;
    let account = NewAccount::try_from(body.into_inner()?)?;
    let invited = service::invite(&state, auth.id, account).await?;
    Ok(HttpResponse::Created().json(InvitedUser::from(invited)))
}

/// Send a new invitation to an account (admin): the previous token stops working,
/// and accepting it sets a new password and reactivates a deactivated account.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, body = InvitedUser),
        AuthErrors, NotFound,
    ),
    security(("bearer" = []))
)]
#[post("/users/{id}/invitation")]
pub async fn reinvite_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<InvitedUser>, AppError> {
    auth.require(&[Role::Admin])?;
    Ok(web::Json(service::reinvite(&state, auth.id, user_id(&id)?).await?.into()))
}

/// List accounts (admin), ordered by e-mail; filtered by role, state and a part
/// of the e-mail address.
#[utoipa::path(
    tag = "users",
    params(UserFilter),
    responses(
        (status = 200, body = Page<UserView>),
        AuthErrors, BadQuery, Unprocessable,
    ),
    security(("bearer" = []))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    auth: AuthUser,
    filter: web::Query<UserFilter>,
) -> Result<web::Json<Page<UserView>>, AppError> {
    auth.require(&[Role::Admin])?;
    let filter = filter.into_inner();
    let accounts = AccountFilter::try_from(&filter)?;
    let page = PageQuery { limit: filter.limit, cursor: filter.cursor };
    let users = service::list(&state, accounts, page.after()?, page.limit()?).await?;
    Ok(web::Json(users.map(UserView::from)))
}

/// Read one account (admin).
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, body = UserView),
        AuthErrors, NotFound,
    ),
    security(("bearer" = []))
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<UserView>, AppError> {
    auth.require(&[Role::Admin])?;
    let user = service::get(&state, user_id(&id)?).await?;
    Ok(web::Json(user.into()))
}

/// Deactivate an account (admin); its refresh tokens are revoked at once.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, body = UserView),
        AuthErrors, NotFound, Conflict,
    ),
    security(("bearer" = []))
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<UserView>, AppError> {
    auth.require(&[Role::Admin])?;
    let user = service::deactivate(&state, auth.id, user_id(&id)?).await?;
    Ok(web::Json(user.into()))
}

/// Body of `PATCH /api/v1/users/{id}`: the new role with exactly the scope it needs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRoleRequest {
    pub role: Role,
    /// For `programme_manager` (and optionally `relay_staff`, then the relay point's).
    pub programme_id: Option<ProgrammeId>,
    /// For `relay_staff`.
    pub relay_point_id: Option<RelayPointId>,
    /// For `helpline_operator` and `helpline_supervisor`.
    pub helpline_id: Option<HelplineId>,
}

/// Change an account's role and scope (admin). A scope that does not fit the role,
/// or names nothing, is `422`; your own role is `409`. Audited; every session of the
/// account ends (its old access tokens answer `401`).
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    request_body = ChangeRoleRequest,
    responses(
        (status = 200, body = UserView),
        BodyErrors, AuthErrors, NotFound, Conflict,
    ),
    security(("bearer" = []))
)]
#[patch("/users/{id}")]
pub async fn change_user_role(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    body: StrictJson<ChangeRoleRequest>,
) -> Result<web::Json<UserView>, AppError> {
    auth.require(&[Role::Admin])?;
    let id = user_id(&id)?;
    let r = body.into_inner()?;
    let scope = Scope { programme_id: r.programme_id, relay_point_id: r.relay_point_id, helpline_id: r.helpline_id };
    let change = RoleChange::new(r.role, scope)?;
    Ok(web::Json(service::change_role(&state, auth.id, id, change).await?.into()))
}

/// Activate a deactivated account again (admin): the person signs in with the
/// password they had. Audited; an active account is left as it is.
#[utoipa::path(
    tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, body = UserView),
        AuthErrors, NotFound,
    ),
    security(("bearer" = []))
)]
#[post("/users/{id}/reactivate")]
pub async fn reactivate_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<UserView>, AppError> {
    auth.require(&[Role::Admin])?;
    Ok(web::Json(service::reactivate(&state, auth.id, user_id(&id)?).await?.into()))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_user)
        .service(list_users)
        .service(get_user)
        .service(change_user_role)
        .service(deactivate_user)
        .service(reactivate_user)
        .service(reinvite_user);
}
