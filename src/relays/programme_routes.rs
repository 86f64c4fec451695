//! Endpoints of programmes: admins create and list them; a manager sees their own.

use super::model::Programme;
use super::service::{self, NewProgramme};
use crate::domain::ProgrammeId;
use crate::domain::Role;
use crate::http::error::{AppError, FieldError};
use crate::http::json::StrictJson;
use crate::http::pagination::{Page, PageQuery};
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, Conflict, NotFound, Unprocessable};
use crate::state::AppState;
use crate::users::caller::{AuthUser, managed_programme};
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A programme as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeView {
    pub id: String,
    pub code: String,
    pub name: String,
    pub country: String,
    pub created_at: DateTime<Utc>,
}

impl From<Programme> for ProgrammeView {
    fn from(p: Programme) -> Self {
        Self {
            id: p.id.to_string(),
            code: p.code,
            name: p.name,
            country: p.country,
            created_at: p.created_at.and_utc(),
        }
    }
}

/// Body of `POST /api/v1/programmes`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProgrammeRequest {
    /// Short unique code, e.g. `be-wal-pharma` (lower case, digits, `-`, 2–40 characters).
    pub code: String,
    pub name: String,
    /// ISO 3166 alpha-2 country (default `BE`).
    pub country: Option<String>,
}

impl TryFrom<CreateProgrammeRequest> for NewProgramme {
    type Error = AppError;
    fn try_from(r: CreateProgrammeRequest) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let code = r.code.trim().to_string();
        if !(2..=40).contains(&code.len())
            || !code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            errors.push(FieldError::new("code", "must be 2–40 characters of a–z, 0–9 and -"));
        }
        let name = crate::domain::Text::parse("name", &r.name, 200).map_err(|e| errors.push(e)).ok();
        let country = r.country.unwrap_or_else(|| "BE".into()).trim().to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.push(FieldError::new("country", "must be a two-letter country code"));
        }
        match name {
            Some(name) if errors.is_empty() => Ok(Self { code, name: name.as_str().into(), country }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// Create a programme (admin).
#[utoipa::path(
    tag = "relays",
    request_body = CreateProgrammeRequest,
    responses(
        (status = 201, body = ProgrammeView),
        BodyErrors, AuthErrors, Conflict,
    ),
    security(("bearer" = []))
)]
#[post("/programmes")]
pub async fn create_programme(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<CreateProgrammeRequest>,
) -> Result<HttpResponse, AppError> {
    auth.require(&[Role::Admin])?;
    let p = service::create_programme(&state, NewProgramme::try_from(body.into_inner()?)?).await?;
    Ok(HttpResponse::Created().json(ProgrammeView::from(p)))
}

/// List programmes: all for an admin, their own for a manager.
#[utoipa::path(
    tag = "relays",
    params(PageQuery),
    responses(
        (status = 200, body = Page<ProgrammeView>),
        AuthErrors, BadQuery, Unprocessable,
    ),
    security(("bearer" = []))
)]
#[get("/programmes")]
pub async fn list_programmes(
    state: web::Data<AppState>,
    auth: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<ProgrammeView>>, AppError> {
    let only = if auth.role == Role::Admin { None } else { Some(managed_programme(&auth)?) };
    let programmes = service::list_programmes(&state, only, page.after()?, page.limit()?).await?;
    Ok(web::Json(programmes.map(Into::into)))
}

/// Read a programme (admin, or its manager).
#[utoipa::path(
    tag = "relays",
    params(("id" = String, Path, description = "Programme id")),
    responses(
        (status = 200, body = ProgrammeView),
        AuthErrors, NotFound,
    ),
    security(("bearer" = []))
)]
#[get("/programmes/{id}")]
pub async fn get_programme(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ProgrammeView>, AppError> {
    let id = ProgrammeId::parse(&id).ok_or(AppError::NotFound)?;
    if auth.role != Role::Admin && managed_programme(&auth)? != id {
        return Err(AppError::NotFound);
    }
    Ok(web::Json(service::get_programme(&state, id).await?.into()))
}
