//! The supervisor's page: who holds which claim since when (and reassigning it),
//! escalated signals, dead-lettered deliveries (deliver again), the reveal audit
//! of the helpline (who revealed which reference when, never the contact), and
//! the helpline's figures with small cells suppressed. Supervisors only.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::i18n::Tr;
use super::pages::{
    HasCsrf, Layout, Stop, case_url, check_form, error_page, local, message, parse_form, render, see_other, signed_in,
};
use super::session::ConsoleSession;
use crate::audit::service::{self as audit, AuditQuery};
use crate::domain::{Role, UserId};
use crate::helpline::service as helpline;
use crate::helpline::supervision::{self, HelplineFigures};
use crate::http::error::AppError;
use crate::outbox::service as outbox;
use crate::state::AppState;

/// Rows each table shows.
const ROWS: i64 = 100;

fn supervisor_only(s: &ConsoleSession) -> Result<(), Stop> {
    if s.auth.role == Role::HelplineSupervisor {
        Ok(())
    } else {
        Err(Box::new(message(StatusCode::FORBIDDEN, Tr(s.language), Some(&s.csrf), "error.title", "error.forbidden")))
    }
}

/// The staff a supervisor may give a case's claim to, for the case page (none
/// for anyone else, or when they cannot be read).
pub async fn reassign_choices(state: &AppState, s: &ConsoleSession) -> Vec<(String, String)> {
    if s.auth.role != Role::HelplineSupervisor {
        return Vec::new();
    }
    supervision::staff(state, &s.auth)
        .await
        .map(|staff| staff.into_iter().map(|(id, email)| (id.to_string(), email)).collect())
        .unwrap_or_default()
}

/// The helplines a supervisor may transfer a case to: the other active ones
/// (empty for everyone else).
pub async fn transfer_choices(state: &AppState, s: &ConsoleSession) -> Vec<(String, String)> {
    let Some(own) = s.auth.scope.helpline_id.filter(|_| s.auth.role == Role::HelplineSupervisor) else {
        return Vec::new();
    };
    state
        .db
        .run(|c| crate::routing::service::load_network(c).map(|(_, helplines)| helplines))
        .await
        .map(|helplines| {
            helplines
                .into_iter()
                .filter(|h| h.destination.active && h.destination.id != own)
                .map(|h| (h.destination.id.to_string(), format!("{} ({})", h.name, h.public_phone)))
                .collect()
        })
        .unwrap_or_default()
}

pub struct ClaimShown {
    pub reference: String,
    pub holder: String,
    pub holder_id: String,
    pub since: String,
    pub last_activity: String,
    pub urgent: bool,
}

pub struct EscalatedShown {
    pub reference: String,
    pub received: String,
    pub escalated: String,
    pub claim: String,
}

pub struct DeadShown {
    pub id: String,
    pub reference: String,
    pub channel: String,
    pub attempts: i32,
    pub error: String,
    pub dead_at: String,
}

pub struct RevealShown {
    pub reference: String,
    pub who: String,
    pub at: String,
}

pub struct FiguresShown {
    pub from: String,
    pub to: String,
    pub signals: String,
    pub per_day: Vec<(String, String)>,
    pub median: String,
    pub p90: String,
    pub closed: String,
    pub outcomes: Vec<(String, String)>,
}

impl FiguresShown {
    fn from(tr: Tr, f: HelplineFigures) -> Self {
        let none = tr.t("sup.figures.hidden").to_string();
        Self {
            from: f.from.format("%d/%m/%Y").to_string(),
            to: f.to.format("%d/%m/%Y").to_string(),
            signals: f.signals.to_string(),
            per_day: f.per_day.iter().map(|d| (d.day.format("%d/%m").to_string(), d.signals.to_string())).collect(),
            median: f.minutes_to_first_attempt.map_or_else(|| none.clone(), |t| t.median.to_string()),
            p90: f.minutes_to_first_attempt.map_or_else(|| none.clone(), |t| t.p90.to_string()),
            closed: f.closed.to_string(),
            outcomes: f
                .outcomes
                .iter()
                .map(|o| {
                    let key = format!("outcome.{}", o.value);
                    let label = if tr.t(&key) == key { o.value.clone() } else { tr.t(&key).to_string() };
                    (label, o.signals.to_string())
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "console/supervisor.html")]
struct SupervisorPage {
    l: Layout,
    notice: Option<String>,
    error: Option<String>,
    staff: Vec<(String, String)>,
    claims: Vec<ClaimShown>,
    escalated: Vec<EscalatedShown>,
    dead: Vec<DeadShown>,
    reveals: Vec<RevealShown>,
    figures: FiguresShown,
}

async fn supervisor_page(
    state: &AppState,
    s: &ConsoleSession,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let tr = Tr(s.language);
    let auth = &s.auth;
    let helpline_id = auth.scope.helpline_id.ok_or(AppError::Forbidden)?;
    let staff = supervision::staff(state, auth).await?;
    let names: HashMap<UserId, String> = staff.iter().cloned().collect();
    let name = |id: Option<UserId>| match id {
        Some(id) => names.get(&id).cloned().unwrap_or_else(|| tr.t("sup.former_colleague").to_string()),
        None => tr.t("sup.system").to_string(),
    };
    let claims = supervision::claims(state, auth)
        .await?
        .into_iter()
        .map(|c| ClaimShown {
            holder: name(Some(c.holder)),
            holder_id: c.holder.to_string(),
            since: c.since.map(local).unwrap_or_default(),
            last_activity: local(c.last_activity),
            urgent: c.urgent,
            reference: c.reference,
        })
        .collect();
    let open = helpline::queue(state, auth, true, None, 1000).await?;
    let escalated = open
        .items
        .iter()
        .filter_map(|c| {
            Some(EscalatedShown {
                escalated: local(c.escalated_at?),
                reference: c.reference.clone(),
                received: local(c.created_at),
                claim: if c.claimed { name(c.claimed_by) } else { tr.t("claim.none").to_string() },
            })
        })
        .collect();
    let dead = outbox::dead_letters(state, auth, None, ROWS)
        .await?
        .items
        .into_iter()
        .map(|d| DeadShown {
            channel: tr.t(&format!("sup.channel.{}", d.channel)).to_string(),
            error: d.last_error.unwrap_or_default(),
            dead_at: local(d.dead_at),
            attempts: d.attempts,
            reference: d.reference,
            id: d.id,
        })
        .collect();
    let q = AuditQuery { action: Some("contact.revealed".into()), ..AuditQuery::default() };
    let reveals = audit::list(state, auth, q, None, ROWS)
        .await?
        .items
        .into_iter()
        .map(|r| RevealShown { reference: r.reference.unwrap_or_default(), who: name(r.actor_id), at: local(r.at) })
        .collect();
    let figures = FiguresShown::from(tr, supervision::figures(state, auth, helpline_id).await?);
    let page = SupervisorPage {
        l: Layout::new(tr, "sup.title", Some(&s.csrf)).for_role(auth.role),
        notice: notice.map(|k| tr.t(k).to_string()),
        error: error.map(|k| tr.t(k).to_string()),
        staff: staff.into_iter().map(|(id, email)| (id.to_string(), email)).collect(),
        claims,
        escalated,
        dead,
        reveals,
        figures,
    };
    Ok(render(status, &page))
}

#[derive(Deserialize)]
pub struct SupervisorQuery {
    done: Option<String>,
}

pub async fn page(req: HttpRequest, state: web::Data<AppState>, q: web::Query<SupervisorQuery>) -> HttpResponse {
    let s = match signed_in(&req, &state, true).await.and_then(|s| supervisor_only(&s).map(|_| s)) {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let notice = match q.done.as_deref() {
        Some("reassigned") => Some("sup.reassigned"),
        Some("retried") => Some("sup.retried"),
        _ => None,
    };
    supervisor_page(&state, &s, StatusCode::OK, notice, None)
        .await
        .unwrap_or_else(|e| error_page(Tr(s.language), Some(&s.csrf), e))
}

#[derive(Deserialize, Default)]
pub struct ReassignForm {
    csrf: Option<String>,
    reference: Option<String>,
    operator_id: Option<String>,
}

impl HasCsrf for ReassignForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// Signed in as a supervisor, with a valid form: the session and the form.
async fn supervisor_action<T: for<'de> Deserialize<'de> + Default + HasCsrf>(
    req: &HttpRequest,
    state: &AppState,
    body: &[u8],
) -> Result<(ConsoleSession, T), Stop> {
    let s = signed_in(req, state, true).await?;
    supervisor_only(&s)?;
    let form: T = parse_form(body).unwrap_or_default();
    check_form(req, state, &s, form.csrf())?;
    Ok((s, form))
}

/// Reassigns, then goes to `back`; a refused choice shows the supervisor's page
/// with the reason.
async fn do_reassign(
    state: &AppState,
    s: &ConsoleSession,
    reference: &str,
    operator: Option<&str>,
    back: &str,
) -> HttpResponse {
    let Some(to) = operator.and_then(UserId::parse) else {
        return supervisor_page(state, s, StatusCode::UNPROCESSABLE_ENTITY, None, Some("sup.reassign_invalid"))
            .await
            .unwrap_or_else(|e| error_page(Tr(s.language), Some(&s.csrf), e));
    };
    match helpline::reassign(state, &s.auth, reference, to).await {
        Ok(_) => see_other(back),
        Err(AppError::Validation(_)) => {
            supervisor_page(state, s, StatusCode::UNPROCESSABLE_ENTITY, None, Some("sup.reassign_invalid"))
                .await
                .unwrap_or_else(|e| error_page(Tr(s.language), Some(&s.csrf), e))
        }
        Err(AppError::Conflict(_)) => {
            supervisor_page(state, s, StatusCode::CONFLICT, None, Some("sup.reassign_closed"))
                .await
                .unwrap_or_else(|e| error_page(Tr(s.language), Some(&s.csrf), e))
        }
        Err(e) => error_page(Tr(s.language), Some(&s.csrf), e),
    }
}

/// The reassign form of the supervisor's page.
pub async fn reassign(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (s, form) = match supervisor_action::<ReassignForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let reference = form.reference.unwrap_or_default();
    do_reassign(&state, &s, &reference, form.operator_id.as_deref(), "/console/supervisor?done=reassigned").await
}

/// The reassign form of the case page (supervisors).
pub async fn case_reassign(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form) = match supervisor_action::<ReassignForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let back = case_url(&reference);
    do_reassign(&state, &s, &reference, form.operator_id.as_deref(), &back).await
}

#[derive(Deserialize, Default)]
pub struct TransferForm {
    csrf: Option<String>,
    helpline_id: Option<String>,
}

impl HasCsrf for TransferForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// The transfer form of the case page (supervisors): the case goes to another
/// helpline, which is notified; this helpline no longer sees it.
pub async fn case_transfer(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form) = match supervisor_action::<TransferForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let Some(to) = form.helpline_id.as_deref().and_then(crate::domain::HelplineId::parse) else {
        return message(StatusCode::UNPROCESSABLE_ENTITY, tr, Some(&s.csrf), "error.title", "transfer.invalid");
    };
    match crate::helpline::service::transfer(&state, &s.auth, &reference, to).await {
        Ok(_) => see_other("/console/queue?view=open"),
        Err(AppError::Validation(_) | AppError::Conflict(_)) => {
            message(StatusCode::UNPROCESSABLE_ENTITY, tr, Some(&s.csrf), "error.title", "transfer.invalid")
        }
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

#[derive(Deserialize, Default)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

impl HasCsrf for CsrfOnly {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// "Deliver again" on a dead-lettered delivery.
pub async fn retry(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _) = match supervisor_action::<CsrfOnly>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    match outbox::retry_dead_letter(&state, &s.auth, &id).await {
        Ok(()) => see_other("/console/supervisor?done=retried"),
        Err(AppError::Conflict(_)) => {
            supervisor_page(&state, &s, StatusCode::CONFLICT, None, Some("sup.retry_refused"))
                .await
                .unwrap_or_else(|e| error_page(Tr(s.language), Some(&s.csrf), e))
        }
        Err(e) => error_page(Tr(s.language), Some(&s.csrf), e),
    }
}
