//! Endpoints of relay points: the programme's managers manage them; relay staff
//! may read their own relay point.

use crate::domain::Role;
use crate::domain::{ProgrammeId, Region, RelayPointId};
use crate::domain::{RelayKind, TrainingStatus};
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{RawRelayPoint, RelayPatch, RelayPoint, RelayPointFields};
use super::service::{self, RelayFilter, parse_cursor_key};
use super::store::RelayQuery;
use crate::http::error::AppError;
use crate::http::json::StrictJson;
use crate::http::pagination::{Page, PageQuery};
use crate::http::query::AsOfQuery;
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, Conflict, NotFound, Unprocessable};
use crate::state::AppState;
use crate::users::caller::{AuthUser, managed_programme};

/// A relay point with its derived training status.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelayPointView {
    pub id: RelayPointId,
    pub programme_id: ProgrammeId,
    pub external_id: Option<String>,
    pub kind: RelayKind,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub municipality: String,
    pub region: Region,
    pub languages: Vec<String>,
    pub active: bool,
    pub training_status: TrainingStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<(RelayPoint, TrainingStatus)> for RelayPointView {
    fn from((r, training_status): (RelayPoint, TrainingStatus)) -> Self {
        let f = r.fields;
        Self {
            id: r.id,
            programme_id: r.programme_id,
            external_id: f.external_id.map(|e| e.as_str().to_string()),
            kind: f.kind,
            name: f.name.as_str().into(),
            address: f.address.as_str().into(),
            postcode: f.postcode.to_string(),
            municipality: f.municipality.as_str().into(),
            region: f.region,
            languages: f.languages.as_slice().to_vec(),
            active: f.active,
            training_status,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// Body of `POST /api/v1/relay-points`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRelayPointRequest {
    /// The programme's own key, e.g. the pharmacy's licence number (unique per programme).
    pub external_id: Option<String>,
    pub kind: RelayKind,
    pub name: String,
    pub address: String,
    /// Belgian postcode, four digits.
    pub postcode: String,
    pub municipality: String,
    /// Derived from the postcode when absent.
    pub region: Option<Region>,
    /// Two-letter codes, e.g. `["fr", "nl"]`.
    pub languages: Vec<String>,
    /// Default `true`.
    pub active: Option<bool>,
}

impl TryFrom<CreateRelayPointRequest> for RelayPointFields {
    type Error = AppError;
    fn try_from(r: CreateRelayPointRequest) -> Result<Self, AppError> {
        RelayPointFields::parse(RawRelayPoint {
            external_id: r.external_id.as_deref(),
            kind: r.kind,
            name: &r.name,
            address: &r.address,
            postcode: &r.postcode,
            municipality: &r.municipality,
            region: r.region,
            languages: r.languages.iter().map(String::as_str).collect(),
            active: r.active.unwrap_or(true),
        })
        .map_err(AppError::Validation)
    }
}

/// Filters of `GET /api/v1/relay-points`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RelayListQuery {
    pub region: Option<Region>,
    pub kind: Option<RelayKind>,
    pub training_status: Option<TrainingStatus>,
    /// Case-insensitive text in name, municipality, postcode, address or external id.
    pub q: Option<String>,
    /// Date the training status is computed for (default today, UTC).
    pub as_of: Option<NaiveDate>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn relay_id(raw: &str) -> Result<RelayPointId, AppError> {
    RelayPointId::parse(raw).ok_or(AppError::NotFound)
}

/// Create a relay point in the manager's programme.
#[utoipa::path(
    tag = "relays",
    request_body = CreateRelayPointRequest,
    responses(
        (status = 201, body = RelayPointView),
        BodyErrors, AuthErrors, Conflict,
    ),
    security(("bearer" = []))
)]
#[post("/relay-points")]
pub async fn create_relay_point(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<CreateRelayPointRequest>,
) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    let fields = RelayPointFields::try_from(body.into_inner()?)?;
    let created = service::create_relay(&state, programme, fields).await?;
    Ok(HttpResponse::Created().json(RelayPointView::from(created)))
}

/// List the manager's relay points with filters, by name.
#[utoipa::path(
    tag = "relays",
    params(RelayListQuery),
    responses(
        (status = 200, body = Page<RelayPointView>),
        AuthErrors, BadQuery, Unprocessable,
    ),
    security(("bearer" = []))
)]
#[get("/relay-points")]
pub async fn list_relay_points(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<RelayListQuery>,
) -> Result<web::Json<Page<RelayPointView>>, AppError> {
    let programme = managed_programme(&auth)?;
    let q = query.into_inner();
    let page = PageQuery { limit: q.limit, cursor: q.cursor };
    let after = page.after()?.as_ref().map(parse_cursor_key).transpose()?;
    let text = q.q.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let filter = RelayFilter {
        query: RelayQuery { region: q.region, kind: q.kind, text, after, limit: None },
        status: q.training_status,
        as_of: q.as_of,
    };
    let relays = service::list_relays(&state, programme, filter, page.limit()?).await?;
    Ok(web::Json(relays.map(Into::into)))
}

/// Read a relay point: its programme's managers, or its own staff.
#[utoipa::path(
    tag = "relays",
    params(("id" = String, Path, description = "Relay point id"), AsOfQuery),
    responses(
        (status = 200, body = RelayPointView),
        AuthErrors, BadQuery, NotFound,
    ),
    security(("bearer" = []))
)]
#[get("/relay-points/{id}")]
pub async fn get_relay_point(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    query: web::Query<AsOfQuery>,
) -> Result<web::Json<RelayPointView>, AppError> {
    let id = relay_id(&id)?;
    let programme = if auth.role == Role::RelayStaff {
        // Staff see their own relay point only; any other id does not exist for them.
        if auth.scope.relay_point_id != Some(id) {
            return Err(AppError::NotFound);
        }
        auth.scope.programme_id.ok_or(AppError::NotFound)?
    } else {
        managed_programme(&auth)?
    };
    let found = service::get_relay(&state, programme, id, query.as_of.unwrap_or_else(crate::domain::today)).await?;
    Ok(web::Json(found.into()))
}

/// Change a relay point (partial update).
#[utoipa::path(
    tag = "relays",
    params(("id" = String, Path, description = "Relay point id")),
    request_body = RelayPatch,
    responses(
        (status = 200, body = RelayPointView),
        BodyErrors, AuthErrors, NotFound, Conflict,
    ),
    security(("bearer" = []))
)]
#[patch("/relay-points/{id}")]
pub async fn update_relay_point(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    body: StrictJson<RelayPatch>,
) -> Result<web::Json<RelayPointView>, AppError> {
    let programme = managed_programme(&auth)?;
    let id = relay_id(&id)?;
    let patch = body.into_inner()?;
    Ok(web::Json(service::update_relay(&state, programme, id, patch).await?.into()))
}
