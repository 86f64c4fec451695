//! Endpoints of training: modules and completions (managers), completion import,
//! and a staff member's own training (`/me/training`).

use crate::domain::Role;
use crate::domain::TrainingStatus;
use crate::domain::{CompletionId, RelayPointId, Text, TrainingModuleId, UserId, today};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::import;
use super::model::{ModuleKind, ModuleStanding, RecordedCompletion, TrainingModule, ValidityMonths};
use super::service::{self, CompletionChange, ModuleChange, NewCompletion, NewModule};
use crate::http::csv::CsvBody;
use crate::http::csv_import::ImportReport;
use crate::http::error::{AppError, Localised};
use crate::http::json::StrictJson;
use crate::http::pagination::{Page, PageQuery};
use crate::http::query::AsOfQuery;
use crate::http::query::ImportQuery;
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, Conflict, NotFound, Unprocessable};
use crate::state::AppState;
use crate::users::caller::{AuthUser, in_callers_language, managed_programme};

/// A training module.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleView {
    pub id: String,
    pub programme_id: String,
    pub title: String,
    pub kind: String,
    pub validity_months: i32,
    pub required: bool,
    pub created_at: DateTime<Utc>,
    /// Retired from this day: it no longer counts as required from then on.
    pub retired_on: Option<NaiveDate>,
}

impl From<TrainingModule> for ModuleView {
    fn from(m: TrainingModule) -> Self {
        Self {
            id: m.id.to_string(),
            programme_id: m.programme_id.to_string(),
            title: m.title.as_str().to_string(),
            kind: m.kind.as_str().to_string(),
            validity_months: i32::try_from(m.validity.get()).unwrap_or(i32::MAX),
            required: m.required,
            created_at: m.created_at.and_utc(),
            retired_on: m.retired_on,
        }
    }
}

/// Body of `POST /api/v1/training-modules`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateModuleRequest {
    pub title: String,
    pub kind: ModuleKind,
    /// 1–120 months.
    pub validity_months: i64,
    pub required: bool,
}

impl TryFrom<CreateModuleRequest> for NewModule {
    type Error = AppError;
    fn try_from(r: CreateModuleRequest) -> Result<Self, AppError> {
        let title = Text::parse("title", &r.title, 200);
        let validity = ValidityMonths::parse(r.validity_months);
        match (title, validity) {
            (Ok(title), Ok(validity)) => Ok(Self { title, kind: r.kind, validity, required: r.required }),
            (t, v) => Err(AppError::Validation(t.err().into_iter().chain(v.err()).collect())),
        }
    }
}

/// A recorded completion.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionView {
    pub id: String,
    pub user_id: String,
    pub module_id: String,
    pub completed_on: NaiveDate,
    /// First day the completion no longer counts.
    pub expires_on: NaiveDate,
    pub recorded_by: Option<String>,
    pub certificate_ref: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<RecordedCompletion> for CompletionView {
    fn from(c: RecordedCompletion) -> Self {
        Self {
            id: c.id.to_string(),
            user_id: c.user_id.to_string(),
            module_id: c.module_id.to_string(),
            completed_on: c.completed_on,
            expires_on: c.expires_on,
            recorded_by: c.recorded_by.map(|u| u.to_string()),
            certificate_ref: c.certificate_ref.map(|t| t.as_str().to_string()),
            created_at: c.created_at.and_utc(),
        }
    }
}

/// Body of `POST /api/v1/completions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCompletionRequest {
    pub user_id: UserId,
    pub module_id: TrainingModuleId,
    pub completed_on: NaiveDate,
    pub certificate_ref: Option<String>,
}

impl TryFrom<RecordCompletionRequest> for NewCompletion {
    type Error = AppError;
    fn try_from(r: RecordCompletionRequest) -> Result<Self, AppError> {
        let certificate_ref = r
            .certificate_ref
            .as_deref()
            .map(|c| Text::parse("certificate_ref", c, 100))
            .transpose()
            .map_err(|e| AppError::Validation(vec![e]))?;
        Ok(Self { user: r.user_id, module: r.module_id, completed_on: r.completed_on, certificate_ref })
    }
}

/// Filters of `GET /api/v1/completions`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompletionQuery {
    pub user_id: Option<UserId>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// One module and where the caller stands on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleStandingView {
    pub module: ModuleView,
    pub standing: ModuleStanding,
}

/// `GET /api/v1/me/training`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyTrainingView {
    pub relay_point_id: RelayPointId,
    pub relay_training_status: TrainingStatus,
    pub as_of: NaiveDate,
    pub modules: Vec<ModuleStandingView>,
    pub completions: Vec<CompletionView>,
}

/// Create a training module in the manager's programme.
#[utoipa::path(tag = "training", request_body = CreateModuleRequest,
    responses(
        (status = 201, body = ModuleView),
        BodyErrors, AuthErrors, Conflict,
    ),
    security(("bearer" = [])))]
#[post("/training-modules")]
pub async fn create_training_module(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<CreateModuleRequest>,
) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    let m = service::create_module(&state, programme, NewModule::try_from(body.into_inner()?)?).await?;
    Ok(HttpResponse::Created().json(ModuleView::from(m)))
}

/// List the training modules of the caller's programme (managers and staff), by title.
#[utoipa::path(tag = "training", params(PageQuery),
    responses(
        (status = 200, body = Page<ModuleView>),
        AuthErrors, BadQuery, Unprocessable,
    ),
    security(("bearer" = [])))]
#[get("/training-modules")]
pub async fn list_training_modules(
    state: web::Data<AppState>,
    auth: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<ModuleView>>, AppError> {
    auth.require(&[Role::ProgrammeManager, Role::RelayStaff])?;
    let programme = auth.scope.programme_id.ok_or(AppError::Forbidden)?;
    let modules = service::list_modules(&state, programme, page.after()?, page.limit()?).await?;
    Ok(web::Json(modules.map(Into::into)))
}

/// Record one completion for a staff member of the manager's programme.
#[utoipa::path(tag = "training", request_body = RecordCompletionRequest,
    responses(
        (status = 201, body = CompletionView),
        BodyErrors, AuthErrors, Conflict,
    ),
    security(("bearer" = [])))]
#[post("/completions")]
pub async fn record_completion(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<RecordCompletionRequest>,
) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    let completion =
        service::record_one(&state, programme, auth.id, NewCompletion::try_from(body.into_inner()?)?).await?;
    Ok(HttpResponse::Created().json(CompletionView::from(completion)))
}

/// List completions recorded in the manager's programme.
#[utoipa::path(tag = "training", params(CompletionQuery),
    responses(
        (status = 200, body = Page<CompletionView>),
        AuthErrors, BadQuery, Unprocessable,
    ),
    security(("bearer" = [])))]
#[get("/completions")]
pub async fn list_completions(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<CompletionQuery>,
) -> Result<web::Json<Page<CompletionView>>, AppError> {
    let programme = managed_programme(&auth)?;
    let q = query.into_inner();
    let page = PageQuery { limit: q.limit, cursor: q.cursor };
    let completions = service::list_completions(&state, programme, q.user_id, page.after()?, page.limit()?).await?;
    Ok(web::Json(completions.map(Into::into)))
}

/// Import completions from CSV (`email,module,completed_on,certificate_ref`).
#[utoipa::path(tag = "training", params(ImportQuery), request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportReport),
        BodyErrors, AuthErrors,
    ),
    security(("bearer" = [])))]
#[post("/completions/import")]
pub async fn import_completions(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ImportQuery>,
    body: CsvBody,
) -> Result<web::Json<ImportReport>, AppError> {
    let programme = managed_programme(&auth)?;
    Ok(web::Json(
        import::import_completions(&state, programme, auth.id, body.into_inner()?, query.dry_run.unwrap_or(false))
            .await?,
    ))
}

/// Body of `PATCH /api/v1/training-modules/{id}`: the fields to change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeModuleRequest {
    pub title: Option<String>,
    /// 1–120 months; applies to completions recorded or corrected from now on.
    pub validity_months: Option<i64>,
    pub required: Option<bool>,
}

impl TryFrom<ChangeModuleRequest> for ModuleChange {
    type Error = AppError;
    fn try_from(r: ChangeModuleRequest) -> Result<Self, AppError> {
        let title = r.title.as_deref().map(|t| Text::parse("title", t, 200)).transpose();
        let validity = r.validity_months.map(ValidityMonths::parse).transpose();
        match (title, validity) {
            (Ok(title), Ok(validity)) if title.is_some() || validity.is_some() || r.required.is_some() => {
                Ok(Self { title, validity, required: r.required })
            }
            (Ok(_), Ok(_)) => Err(AppError::invalid("body", "name at least one of title, validity_months, required")),
            (t, v) => Err(AppError::Validation(t.err().into_iter().chain(v.err()).collect())),
        }
    }
}

/// Body of `POST /api/v1/training-modules/{id}/retire`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireModuleRequest {
    /// The first day the module no longer counts as required (default: today). Not
    /// before the module was created.
    pub from: Option<NaiveDate>,
}

/// Body of `PATCH /api/v1/completions/{id}`: the fields to correct.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectCompletionRequest {
    /// The day it was really completed (not in the future); the expiry follows.
    pub completed_on: Option<NaiveDate>,
    /// The certificate reference; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub certificate_ref: Option<Option<String>>,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl TryFrom<CorrectCompletionRequest> for CompletionChange {
    type Error = AppError;
    fn try_from(r: CorrectCompletionRequest) -> Result<Self, AppError> {
        if r.completed_on.is_none() && r.certificate_ref.is_none() {
            return Err(AppError::invalid("body", "name at least one of completed_on, certificate_ref"));
        }
        let certificate_ref = match r.certificate_ref {
            None => None,
            Some(None) => Some(None),
            Some(Some(c)) => {
                Some(Some(Text::parse("certificate_ref", &c, 100).map_err(|e| AppError::Validation(vec![e]))?))
            }
        };
        Ok(Self { completed_on: r.completed_on, certificate_ref })
    }
}

/// Edit a training module of the manager's programme: title, validity, required.
/// A new validity applies to completions recorded or corrected from now on. Audited.
#[utoipa::path(tag = "training", params(("id" = TrainingModuleId, Path)), request_body = ChangeModuleRequest,
    responses(
        (status = 200, body = ModuleView),
        BodyErrors, AuthErrors, NotFound,
    ),
    security(("bearer" = [])))]
#[patch("/training-modules/{id}")]
pub async fn change_training_module(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    body: StrictJson<ChangeModuleRequest>,
) -> Result<web::Json<ModuleView>, AppError> {
    let programme = managed_programme(&auth)?;
    let id = TrainingModuleId::parse(&id).ok_or(AppError::NotFound)?;
    let change = ModuleChange::try_from(body.into_inner()?)?;
    Ok(web::Json(service::change_module(&state, programme, auth.id, id, change).await?.into()))
}

/// Retire a training module from a day: from then on it no longer counts as
/// required for any relay point's status (its completions stay, as history).
/// Retiring again moves the day. Audited.
#[utoipa::path(tag = "training", params(("id" = TrainingModuleId, Path)), request_body = RetireModuleRequest,
    responses(
        (status = 200, body = ModuleView),
        BodyErrors, AuthErrors, NotFound,
    ),
    security(("bearer" = [])))]
#[post("/training-modules/{id}/retire")]
pub async fn retire_training_module(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    body: StrictJson<RetireModuleRequest>,
) -> Result<web::Json<ModuleView>, AppError> {
    let programme = managed_programme(&auth)?;
    let id = TrainingModuleId::parse(&id).ok_or(AppError::NotFound)?;
    let from = body.into_inner()?.from.unwrap_or_else(today);
    Ok(web::Json(service::retire_module(&state, programme, auth.id, id, from).await?.into()))
}

/// Correct a completion of the manager's programme (the day, the certificate
/// reference); the expiry is computed again. Audited.
#[utoipa::path(tag = "training", params(("id" = CompletionId, Path)), request_body = CorrectCompletionRequest,
    responses(
        (status = 200, body = CompletionView),
        BodyErrors, AuthErrors, NotFound, Conflict,
    ),
    security(("bearer" = [])))]
#[patch("/completions/{id}")]
pub async fn correct_completion(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    body: StrictJson<CorrectCompletionRequest>,
) -> Result<web::Json<CompletionView>, AppError> {
    let programme = managed_programme(&auth)?;
    let id = CompletionId::parse(&id).ok_or(AppError::NotFound)?;
    let change = CompletionChange::try_from(body.into_inner()?)?;
    Ok(web::Json(service::correct_completion(&state, programme, auth.id, id, change).await?.into()))
}

/// Delete a completion recorded by mistake. Audited.
#[utoipa::path(tag = "training", params(("id" = CompletionId, Path)),
    responses(
        (status = 204, description = "Deleted"),
        AuthErrors, NotFound,
    ),
    security(("bearer" = [])))]
#[delete("/completions/{id}")]
pub async fn delete_completion(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    let id = CompletionId::parse(&id).ok_or(AppError::NotFound)?;
    service::delete_completion(&state, programme, auth.id, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Export every completion of the manager's programme as CSV:
/// `email,relay_external_id,relay_name,module,completed_on,expires_on,certificate_ref`.
#[utoipa::path(tag = "training",
    responses(
        (status = 200, body = String, content_type = "text/csv"),
        AuthErrors,
    ),
    security(("bearer" = [])))]
#[get("/completions/export")]
pub async fn export_completions(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    let bytes = service::export_completions_csv(&state, programme).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("content-disposition", "attachment; filename=\"completions.csv\""))
        .body(bytes))
}

/// The caller's own training and their relay point's status (relay staff).
#[utoipa::path(tag = "training", params(AsOfQuery),
    responses(
        (status = 200, body = MyTrainingView),
        AuthErrors, BadQuery,
    ),
    security(("bearer" = [])))]
#[get("/me/training")]
pub async fn my_training(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<AuthUser, AppError>,
    query: web::Query<AsOfQuery>,
) -> Result<web::Json<MyTrainingView>, Localised> {
    in_callers_language(&req, auth, |auth| own_training(state, auth, query)).await
}

async fn own_training(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<AsOfQuery>,
) -> Result<web::Json<MyTrainingView>, AppError> {
    auth.require(&[Role::RelayStaff])?;
    let (Some(programme), Some(relay)) = (auth.scope.programme_id, auth.scope.relay_point_id) else {
        return Err(AppError::Forbidden);
    };
    let as_of = query.as_of.unwrap_or_else(today);
    let t = service::my_training(&state, programme, relay, auth.id, as_of).await?;
    Ok(web::Json(MyTrainingView {
        relay_point_id: t.relay_point_id,
        relay_training_status: t.relay_status,
        as_of,
        modules: t.modules.into_iter().map(|(m, standing)| ModuleStandingView { module: m.into(), standing }).collect(),
        completions: t.completions.into_iter().map(Into::into).collect(),
    }))
}
