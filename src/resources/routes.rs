//! Endpoints of the referral directory: relays query it by region and language;
//! admins manage it.

use crate::domain::Role;
use crate::domain::{Language, Region};

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{Resource, ResourceKind};
use super::service;
use super::store::ResourceRow;
use crate::db;
use crate::http::error::{AppError, FieldError, Localised};
use crate::http::json::StrictJson;
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, NotFound};
use crate::state::AppState;
use crate::users::caller::{AuthUser, in_callers_language};

/// Filters of `GET /api/v1/resources`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResourceFilter {
    pub region: Option<Region>,
    pub language: Option<Language>,
    pub kind: Option<ResourceKind>,
}

/// Body of `POST /api/v1/resources` and `PUT /api/v1/resources/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceRequest {
    pub kind: ResourceKind,
    pub name: String,
    pub regions: Vec<Region>,
    pub languages: Vec<Language>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub opening_hours: Option<String>,
    /// Default `true`; `false` hides it from relays.
    pub active: Option<bool>,
}

impl ResourceRequest {
    pub fn into_row(self, id: String) -> Result<ResourceRow, AppError> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 160 {
            errors.push(FieldError::new("name", "must be 1 to 160 characters"));
        }
        if self.regions.is_empty() {
            errors.push(FieldError::new("regions", "at least one region"));
        }
        if self.languages.is_empty() {
            errors.push(FieldError::new("languages", "at least one language"));
        }
        if self.phone.is_none() && self.website.is_none() {
            errors.push(FieldError::new("phone", "give a phone number or a website"));
        }
        if self
            .website
            .as_deref()
            .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")) || w.len() > 300)
        {
            errors.push(FieldError::new("website", "must be an http(s) URL of at most 300 characters"));
        }
        for (field, v) in [("phone", &self.phone), ("opening_hours", &self.opening_hours)] {
            if v.as_deref().is_some_and(|s| s.trim().is_empty() || s.chars().count() > 120) {
                errors.push(FieldError::new(field, "must be 1 to 120 characters"));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let now = db::now();
        let join = |v: Vec<&str>| v.join(",");
        Ok(ResourceRow {
            id,
            kind: self.kind.as_str().into(),
            name,
            regions: join(self.regions.iter().map(|r| r.as_str()).collect()),
            languages: join(self.languages.iter().map(|l| l.as_str()).collect()),
            phone: self.phone,
            website: self.website,
            opening_hours: self.opening_hours,
            active: self.active.unwrap_or(true),
            created_at: now,
            updated_at: now,
        })
    }
}

/// Referral resources by region, language and kind.
#[utoipa::path(tag = "resources", params(ResourceFilter), responses(
    (status = 200, body = Vec<Resource>),
    AuthErrors, BadQuery,
), security(("bearer" = [])))]
#[get("/resources")]
pub async fn list_resources(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<AuthUser, AppError>,
    filter: web::Query<ResourceFilter>,
) -> Result<web::Json<Vec<Resource>>, Localised> {
    in_callers_language(&req, auth, |_| async move {
        let ResourceFilter { region, language, kind } = filter.into_inner();
        let found = state.db.run(move |c| service::referrals(c, region, language)).await?;
        Ok(web::Json(found.into_iter().filter(|r| kind.is_none_or(|k| r.kind == k)).collect()))
    })
    .await
}

/// Add a resource (admin).
#[utoipa::path(tag = "resources", request_body = ResourceRequest, responses(
    (status = 201, body = Resource),
    BodyErrors, AuthErrors,
), security(("bearer" = [])))]
#[post("/resources")]
pub async fn create_resource(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<ResourceRequest>,
) -> Result<HttpResponse, AppError> {
    auth.require(&[Role::Admin])?;
    let row = body.into_inner()?.into_row(uuid::Uuid::new_v4().to_string())?;
    Ok(HttpResponse::Created().json(service::create(&state, row).await?))
}

/// Replace a resource (admin); `active: false` retires it.
#[utoipa::path(tag = "resources", params(("id" = String, Path)), request_body = ResourceRequest, responses(
    (status = 200, body = Resource),
    BodyErrors, AuthErrors, NotFound,
), security(("bearer" = [])))]
#[put("/resources/{id}")]
pub async fn replace_resource(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    body: StrictJson<ResourceRequest>,
) -> Result<web::Json<Resource>, AppError> {
    auth.require(&[Role::Admin])?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?.to_string();
    let row = body.into_inner()?.into_row(id)?;
    Ok(web::Json(service::replace(&state, row).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_resources).service(create_resource).service(replace_resource);
}
