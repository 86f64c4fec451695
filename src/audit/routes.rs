//! `GET /api/v1/audit`: the audit log, for admins (all of it) and helpline
//! supervisors (rows about their helpline's signals).

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::service::{self, AuditEntry, AuditQuery};
use crate::domain::Role;
use crate::http::error::AppError;
use crate::http::pagination::{Page, PageQuery};
use crate::http::responses::{AuthErrors, BadQuery, Unprocessable};
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// Filters of `GET /api/v1/audit`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Account id of who acted.
    pub actor: Option<String>,
    /// An audited action, e.g. `contact.revealed`.
    pub action: Option<String>,
    /// First day included (`YYYY-MM-DD`, UTC).
    pub from: Option<NaiveDate>,
    /// Last day included (`YYYY-MM-DD`, UTC).
    pub to: Option<NaiveDate>,
    /// A signal's reference.
    pub reference: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The audit log, newest first: who did what, when, to which signal or account.
/// Supervisors read only the rows about their helpline's signals.
#[utoipa::path(tag = "supervision", params(AuditFilter), responses(
    (status = 200, body = Page<AuditEntry>),
    AuthErrors, BadQuery, Unprocessable,
), security(("bearer" = [])))]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    auth: AuthUser,
    filter: web::Query<AuditFilter>,
) -> Result<web::Json<Page<AuditEntry>>, AppError> {
    auth.require(&[Role::Admin, Role::HelplineSupervisor])?;
    let f = filter.into_inner();
    let page = PageQuery { limit: f.limit, cursor: f.cursor };
    let q = AuditQuery { actor: f.actor, action: f.action, from: f.from, to: f.to, reference: f.reference };
    Ok(web::Json(service::list(&state, &auth, q, page.after()?, page.limit()?).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit);
}
