//! `/console/invitations`: staff onboarding in bulk (a CSV of e-mail, relay point
//! external id and language, previewed, then committed: the same hidden re-post
//! with its SHA-256 as the relay-point import) and the invitations not accepted
//! yet, each with "send again" and "revoke". Managers only.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::import::{digest, normalise};
use super::{Acting, acting, multipart};
use crate::console::pages::{Layout, check_form, error_page, local, message, parse_form, render, see_other};
use crate::domain::{ProgrammeId, UserId};
use crate::http::csv_import::RowError;
use crate::http::error::AppError;
use crate::relays::staff_import::{self, StaffImportReport};
use crate::state::AppState;

pub struct PendingShown {
    pub id: String,
    pub email: String,
    pub relay: String,
    pub relay_id: String,
    pub invited: String,
    pub expires: String,
    pub expired: bool,
}

#[derive(Template)]
#[template(path = "console/programme_invitations.html")]
struct InvitationsPage {
    l: Layout,
    notice: Option<String>,
    error: Option<String>,
    preview: bool,
    done: bool,
    can_commit: bool,
    report: StaffImportReport,
    errors: Vec<RowError>,
    csv: String,
    digest: String,
    pending: Vec<PendingShown>,
}

async fn manager(req: &HttpRequest, state: &AppState) -> Result<(Acting, ProgrammeId), HttpResponse> {
    let a = acting(req, state).await.map_err(|r| *r)?;
    match a.programme {
        Some(p) => Ok((a, p)),
        None => Err(message(StatusCode::FORBIDDEN, a.tr(), Some(&a.s.csrf), "error.title", "imp.managers_only")),
    }
}

async fn pending_shown(state: &AppState, programme: ProgrammeId) -> Result<Vec<PendingShown>, AppError> {
    let pending = staff_import::pending(state, programme).await?;
    let names: HashMap<String, String> = crate::relays::table::names(state, programme).await?;
    let now = crate::db::now();
    Ok(pending
        .into_iter()
        .map(|p| {
            let relay_id = p.relay_point_id.map(|r| r.to_string()).unwrap_or_default();
            PendingShown {
                id: p.user_id.to_string(),
                email: p.email.as_str().to_string(),
                relay: names.get(&relay_id).cloned().unwrap_or_default(),
                relay_id,
                invited: local(p.created_at.and_utc()),
                expires: local(p.expires_at.and_utc()),
                expired: p.expires_at <= now,
            }
        })
        .collect())
}

struct View {
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<&'static str>,
    preview: Option<(StaffImportReport, String)>,
    done: Option<StaffImportReport>,
}

impl View {
    fn list(notice: Option<&'static str>) -> Self {
        Self { status: StatusCode::OK, notice, error: None, preview: None, done: None }
    }

    fn refused(error: &'static str) -> Self {
        Self { status: StatusCode::UNPROCESSABLE_ENTITY, error: Some(error), ..Self::list(None) }
    }
}

async fn show(state: &AppState, a: &Acting, programme: ProgrammeId, v: View) -> HttpResponse {
    let tr = a.tr();
    let pending = match pending_shown(state, programme).await {
        Ok(p) => p,
        Err(e) => return error_page(tr, Some(&a.s.csrf), e),
    };
    let preview = v.preview.is_some();
    let done = v.done.is_some();
    let (report, csv) = match (v.preview, v.done) {
        (Some((r, csv)), _) => (r, csv),
        (None, Some(r)) => (r, String::new()),
        _ => (StaffImportReport::default(), String::new()),
    };
    let can_commit = preview && report.errors.is_empty() && report.invited + report.reinvited > 0;
    let status = if preview && !report.errors.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { v.status };
    let page = InvitationsPage {
        l: Layout::new(tr, "inv.title", Some(&a.s.csrf)).for_role(a.s.auth.role),
        notice: v.notice.map(|k| tr.t(k).to_string()),
        error: v.error.map(|k| tr.t(k).to_string()),
        preview,
        done,
        can_commit,
        errors: report.errors.clone(),
        digest: digest(&csv),
        csv,
        report,
        pending,
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct InvitationsQuery {
    done: Option<String>,
}

pub async fn invitations_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<InvitationsQuery>,
) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let notice = match q.done.as_deref() {
        Some("resent") => Some("inv.resent"),
        Some("revoked") => Some("inv.revoked"),
        Some("gone") => Some("inv.gone"),
        _ => None,
    };
    show(&state, &a, programme, View::list(notice)).await
}

/// The bulk upload: preview (a dry run), or commit of the file previewed.
pub async fn invitations_import(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let limit = state.settings.max_csv_bytes.saturating_add(64 * 1024);
    let Some(parts) = multipart::read(&req, &mut payload.into_inner(), limit).await else {
        return show(&state, &a, programme, View::refused("imp.unreadable")).await;
    };
    if let Err(res) = check_form(&req, &state, &a.s, parts.text("csrf").as_deref()) {
        return *res;
    }
    let file = parts.text("file").filter(|f| !f.trim().is_empty());
    let Some(text) = file.or_else(|| parts.text("csv")).map(|t| normalise(&t)).filter(|t| !t.trim().is_empty()) else {
        return show(&state, &a, programme, View::refused("imp.nothing")).await;
    };
    let commit = parts.text("step").as_deref() == Some("commit");
    if commit && parts.text("digest").as_deref() != Some(digest(&text).as_str()) {
        return show(&state, &a, programme, View::refused("imp.changed")).await;
    }
    match staff_import::import(&state, programme, a.s.auth.id, text.clone(), !commit).await {
        Ok(report) if commit => show(&state, &a, programme, View { done: Some(report), ..View::list(None) }).await,
        Ok(report) => show(&state, &a, programme, View { preview: Some((report, text)), ..View::list(None) }).await,
        Err(AppError::Validation(_)) => show(&state, &a, programme, View::refused("imp.changed")).await,
        Err(e) => error_page(a.tr(), Some(&a.s.csrf), e),
    }
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// "Send again" and "revoke" on one invitation.
pub async fn invitation_action(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form: CsrfForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    let (id, action) = path.into_inner();
    let Some(user) = UserId::parse(&id) else {
        return error_page(a.tr(), Some(&a.s.csrf), AppError::NotFound);
    };
    let actor = a.s.auth.id;
    let done = match action.as_str() {
        "resend" => staff_import::resend(&state, programme, actor, user).await.map(|_| "resent"),
        "revoke" => staff_import::revoke(&state, programme, actor, user).await.map(|()| "revoked"),
        _ => Err(AppError::NotFound),
    };
    match done {
        Ok(done) => see_other(&format!("/console/invitations?done={done}")),
        Err(AppError::Conflict(_)) => see_other("/console/invitations?done=gone"),
        Err(e) => error_page(a.tr(), Some(&a.s.csrf), e),
    }
}
