//! Endpoints for helpline operators and supervisors, under `/api/v1/cases`, and a
//! supervisor's confirmation of their helpline's changed channels.

use crate::domain::HelplineId;
use crate::domain::Role;
use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::AttemptResult;
use super::service::{self, Attempt, AttemptRecorded, Case, ChannelsConfirmed, ClaimFilter};
use crate::http::error::AppError;
use crate::http::json::StrictJson;
use crate::http::pagination::{Page, PageQuery};
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, Conflict, NotFound, Unprocessable};
use crate::routing::hours::Day;
use crate::signals::model::Contact;
use crate::signals::model::Outcome;
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// Roles that work cases; checked before a body is parsed.
const HELPLINE_ROLES: &[Role] = &[Role::HelplineOperator, Role::HelplineSupervisor];

/// Filters of `GET /api/v1/cases`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseFilter {
    /// `open` (default: the queue) or `closed`.
    pub state: Option<CaseState>,
    /// `unclaimed`, `mine` or `others` (a colleague holds it); all when absent.
    pub claim: Option<ClaimFilter>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CaseState {
    Open,
    Closed,
}

/// The contact, revealed to the claim holder (each reveal is audited).
#[derive(Serialize, ToSchema)]
pub struct ContactView {
    /// E.164.
    pub phone: String,
    pub alias: Option<String>,
    pub safe_windows: Vec<WindowView>,
    pub voicemail_ok: bool,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WindowView {
    pub day: Day,
    pub start: String,
    pub end: String,
}

impl From<Contact> for ContactView {
    fn from(c: Contact) -> Self {
        Self {
            phone: c.phone.as_str().to_string(),
            alias: c.alias,
            safe_windows: c
                .safe_windows
                .iter()
                .map(|w| WindowView { day: w.day, start: w.start.to_string(), end: w.end.to_string() })
                .collect(),
            voicemail_ok: c.voicemail_ok,
            note: c.note,
        }
    }
}

/// Body of `POST /api/v1/cases/{reference}/attempts`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptRequest {
    pub result: AttemptResult,
    /// When to try again (RFC 3339); a warning comes back if it is outside the safe windows.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// Body of `POST /api/v1/cases/{reference}/transfer`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub helpline_id: HelplineId,
}

/// Body of `POST /api/v1/cases/{reference}/reassign`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignRequest {
    /// An active operator or supervisor of the same helpline.
    pub operator_id: crate::domain::UserId,
}

/// Body of `POST /api/v1/cases/{reference}/close`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    pub outcome: Outcome,
}

/// The helpline's queue: urgent first, then oldest (`state=closed` for closed ones).
#[utoipa::path(tag = "cases", params(CaseFilter), responses(
    (status = 200, body = Page<Case>),
    AuthErrors, BadQuery, Unprocessable,
), security(("bearer" = [])))]
#[get("/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    auth: AuthUser,
    filter: web::Query<CaseFilter>,
) -> Result<web::Json<Page<Case>>, AppError> {
    let f = filter.into_inner();
    let page = PageQuery { limit: f.limit, cursor: f.cursor };
    let open = f.state.unwrap_or(CaseState::Open) == CaseState::Open;
    Ok(web::Json(service::queue_by_claim(&state, &auth, open, f.claim, page.after()?, page.limit()?).await?))
}

/// One case of the caller's helpline.
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), responses(
    (status = 200, body = Case),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[get("/cases/{reference}")]
pub async fn get_case(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
) -> Result<web::Json<Case>, AppError> {
    Ok(web::Json(service::get(&state, &auth, &reference).await?))
}

/// Claim a case (a claim lapses after 30 minutes without activity).
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), responses(
    (status = 200, body = Case),
    AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/cases/{reference}/claim")]
pub async fn claim_case(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
) -> Result<web::Json<Case>, AppError> {
    Ok(web::Json(service::claim(&state, &auth, &reference).await?))
}

/// Keep the caller's claim alive while they work the case (a claim lapses after
/// 30 minutes without activity).
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), responses(
    (status = 200, body = Case),
    AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/cases/{reference}/heartbeat")]
pub async fn heartbeat(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
) -> Result<web::Json<Case>, AppError> {
    Ok(web::Json(service::heartbeat(&state, &auth, &reference).await?))
}

/// Release a claim (the holder, or a supervisor).
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), responses(
    (status = 200, body = Case),
    AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/cases/{reference}/release")]
pub async fn release_case(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
) -> Result<web::Json<Case>, AppError> {
    Ok(web::Json(service::release(&state, &auth, &reference).await?))
}

/// Reveal the contact to the claim holder. Every reveal is written to the audit log.
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), responses(
    (status = 200, body = ContactView),
    AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/cases/{reference}/reveal")]
pub async fn reveal_contact(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
) -> Result<web::Json<ContactView>, AppError> {
    Ok(web::Json(service::reveal(&state, &auth, &reference).await?.into()))
}

/// Record a call attempt.
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), request_body = AttemptRequest, responses(
    (status = 201, body = AttemptRecorded),
    BodyErrors, AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/cases/{reference}/attempts")]
pub async fn record_attempt(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
    body: StrictJson<AttemptRequest>,
) -> Result<actix_web::HttpResponse, AppError> {
    auth.require(HELPLINE_ROLES)?;
    let b = body.into_inner()?;
    let r = service::record_attempt(&state, &auth, &reference, b.result, b.next_attempt_at).await?;
    Ok(actix_web::HttpResponse::Created().json(r))
}

/// The call attempts recorded on a case, oldest first.
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), responses(
    (status = 200, body = Vec<Attempt>),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[get("/cases/{reference}/attempts")]
pub async fn list_attempts(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
) -> Result<web::Json<Vec<Attempt>>, AppError> {
    Ok(web::Json(service::attempts(&state, &auth, &reference).await?))
}

/// Transfer a case to another helpline (supervisors).
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), request_body = TransferRequest, responses(
    (status = 200, body = Case),
    BodyErrors, AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/cases/{reference}/transfer")]
pub async fn transfer_case(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
    body: StrictJson<TransferRequest>,
) -> Result<web::Json<Case>, AppError> {
    auth.require(&[Role::HelplineSupervisor])?;
    Ok(web::Json(service::transfer(&state, &auth, &reference, body.into_inner()?.helpline_id).await?))
}

/// Give a case's claim to an operator of the helpline (supervisors), whoever held
/// it. Audited.
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), request_body = ReassignRequest, responses(
    (status = 200, body = Case),
    BodyErrors, AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/cases/{reference}/reassign")]
pub async fn reassign_case(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
    body: StrictJson<ReassignRequest>,
) -> Result<web::Json<Case>, AppError> {
    auth.require(&[Role::HelplineSupervisor])?;
    Ok(web::Json(service::reassign(&state, &auth, &reference, body.into_inner()?.operator_id).await?))
}

/// Close a case with its outcome. The contact is destroyed at once.
#[utoipa::path(tag = "cases", params(("reference" = String, Path)), request_body = CloseRequest, responses(
    (status = 200, body = Case),
    BodyErrors, AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/cases/{reference}/close")]
pub async fn close_case(
    state: web::Data<AppState>,
    auth: AuthUser,
    reference: web::Path<String>,
    body: StrictJson<CloseRequest>,
) -> Result<web::Json<Case>, AppError> {
    auth.require(HELPLINE_ROLES)?;
    Ok(web::Json(service::close(&state, &auth, &reference, body.into_inner()?.outcome).await?))
}

/// Confirm the delivery channels of the caller's helpline (supervisors), after an
/// admin changed its webhook or intake e-mail: deliveries of signals filed before
/// the change, held until now, go to the current channels.
#[utoipa::path(tag = "cases", params(("id" = String, Path)), responses(
    (status = 200, body = ChannelsConfirmed),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[post("/helplines/{id}/confirm-channels")]
pub async fn confirm_channels(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<ChannelsConfirmed>, AppError> {
    auth.require(&[Role::HelplineSupervisor])?;
    let id = HelplineId::parse(&id).ok_or(AppError::NotFound)?;
    Ok(web::Json(service::confirm_channels(&state, &auth, id).await?))
}

/// The last 14 days of the caller's helpline (supervisors): signals per day,
/// time to first attempt, outcomes; counts of 1–4 shown as `"<5"`.
#[utoipa::path(tag = "cases", params(("id" = String, Path)), responses(
    (status = 200, body = super::supervision::HelplineFigures),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[get("/helplines/{id}/figures")]
pub async fn helpline_figures(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<super::supervision::HelplineFigures>, AppError> {
    auth.require(&[Role::HelplineSupervisor])?;
    let id = HelplineId::parse(&id).ok_or(AppError::NotFound)?;
    Ok(web::Json(super::supervision::figures(&state, &auth, id).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_cases)
        .service(get_case)
        .service(claim_case)
        .service(release_case)
        .service(heartbeat)
        .service(reveal_contact)
        .service(record_attempt)
        .service(list_attempts)
        .service(transfer_case)
        .service(reassign_case)
        .service(close_case)
        .service(confirm_channels)
        .service(helpline_figures);
}
