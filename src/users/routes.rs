//! Admin endpoints for accounts.

use crate::domain::{Email, HelplineId, ProgrammeId, RelayPointId, StaffLanguage, UserId};
use crate::domain::{Role, Scope};
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::UserView;
use super::service::{self, NewAccount};
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

/// The created account and its one-time password (shown only in this response).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    pub user: UserView,
    pub one_time_password: String,
}

/// Filters of `GET /api/v1/users`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Parses a path id; an id that does not parse names nothing, hence 404.
fn user_id(raw: &str) -> Result<UserId, AppError> {
    UserId::parse(raw).ok_or(AppError::NotFound)
}

/// Create an account (admin).
#[utoipa::path(
    tag = "users",
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = CreatedUser),
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
    let (user, one_time_password) = service::create(&state, account).await?;
    Ok(HttpResponse::Created().json(CreatedUser { user: user.into(), one_time_password }))
}

/// List accounts (admin), ordered by e-mail.
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
    let page = PageQuery { limit: filter.limit, cursor: filter.cursor };
    let users = service::list(&state, filter.role, page.after()?, page.limit()?).await?;
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

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_user).service(list_users).service(get_user).service(deactivate_user);
}
