//! Endpoints of the referral directory: relays query it by region and language;
//! admins manage it.

use std::str::FromStr;

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::store::{self, ResourceRow};
use crate::db::{self, AnyConnection};
use crate::http::auth::AuthUser;
use crate::http::error::{AppError, FieldError};
use crate::http::json::StrictJson;
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, NotFound};
use crate::routing::model::{Language, Region};
use crate::state::AppState;
use crate::text_enum;
use crate::users::model::Role;

/// What kind of help a resource offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Emergency,
    Helpline,
    Shelter,
    CawCpas,
    PoliceVictimSupport,
    SexualAssaultCentre,
    LegalAid,
    Other,
}
text_enum!(ResourceKind {
    Emergency => "emergency",
    Helpline => "helpline",
    Shelter => "shelter",
    CawCpas => "caw_cpas",
    PoliceVictimSupport => "police_victim_support",
    SexualAssaultCentre => "sexual_assault_centre",
    LegalAid => "legal_aid",
    Other => "other",
});

/// A referral resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Resource {
    pub id: String,
    pub kind: ResourceKind,
    pub name: String,
    pub regions: Vec<Region>,
    pub languages: Vec<Language>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Free text, e.g. `Mon-Fri 09:00-17:00` or `24/7`.
    pub opening_hours: Option<String>,
    pub active: bool,
}

fn codes<T: FromStr>(text: &str) -> Vec<T> {
    text.split(',').filter_map(|c| T::from_str(c.trim()).ok()).collect()
}

impl From<ResourceRow> for Resource {
    fn from(r: ResourceRow) -> Self {
        Self {
            kind: ResourceKind::from_str(&r.kind).unwrap_or(ResourceKind::Other),
            regions: codes(&r.regions),
            languages: codes(&r.languages),
            id: r.id,
            name: r.name,
            phone: r.phone,
            website: r.website,
            opening_hours: r.opening_hours,
            active: r.active,
        }
    }
}

/// Active resources serving `region` in `language` (any language when the caller
/// speaks one no resource lists, so a relay always gets a list to hand over).
pub fn referrals(
    conn: &mut AnyConnection,
    region: Option<Region>,
    language: Option<Language>,
) -> Result<Vec<Resource>, AppError> {
    let all: Vec<Resource> = store::all_active(conn)?.into_iter().map(Resource::from).collect();
    let in_region: Vec<Resource> = all.into_iter().filter(|r| region.is_none_or(|g| r.regions.contains(&g))).collect();
    let Some(lang) = language else { return Ok(in_region) };
    let spoken: Vec<Resource> = in_region.iter().filter(|r| r.languages.contains(&lang)).cloned().collect();
    Ok(if spoken.is_empty() { in_region } else { spoken })
}

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
    fn into_row(self, id: String) -> Result<ResourceRow, AppError> {
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
    state: web::Data<AppState>,
    _auth: AuthUser,
    filter: web::Query<ResourceFilter>,
) -> Result<web::Json<Vec<Resource>>, AppError> {
    let ResourceFilter { region, language, kind } = filter.into_inner();
    let found = state.db.run(move |c| referrals(c, region, language)).await?;
    Ok(web::Json(found.into_iter().filter(|r| kind.is_none_or(|k| r.kind == k)).collect()))
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
    let created = row.clone();
    state.db.write(move |c| store::insert(c, &row).map_err(AppError::from)).await?;
    Ok(HttpResponse::Created().json(Resource::from(created)))
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
    let updated = state
        .db
        .write(move |c| {
            if store::replace(c, &row)? == 0 {
                return Err(AppError::NotFound);
            }
            store::find(c, &row.id)?.ok_or(AppError::NotFound)
        })
        .await?;
    Ok(web::Json(updated.into()))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_resources).service(create_resource).service(replace_resource);
}
