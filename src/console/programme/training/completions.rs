//! `/console/training/completions`: the programme's completions, filtered by
//! relay point, staff member and module on the server and paged; a form to record
//! one (staff member by e-mail, module, day); a completion's page to correct what
//! the API's `PATCH` allows (the day, the certificate reference) and to delete it
//! after a confirmation (the service writes the audit row); the export.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::modules::ConfirmPage;
use super::{Errors, PER_PAGE, day, failed, layout, manager, paging, shown};
use crate::console::i18n::Tr;
use crate::console::pages::{Layout, check_form, local, parse_form, render, see_other, urlencode};
use crate::console::programme::Acting;
use crate::console::programme::table::PageLink;
use crate::domain::{CompletionId, Email, ProgrammeId, Text, TrainingModuleId};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::training::model::{CompletionFilter, CompletionLine, TrainingModule};
use crate::training::service::{self as training, CompletionChange};

/// The list's query string. Values that are not understood are left out, not
/// refused: a link edited by hand still shows a list.
#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    relay: Option<String>,
    staff: Option<String>,
    module: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty() && s.len() <= 200).map(str::to_string)
}

impl ListParams {
    fn filter(&self) -> CompletionFilter {
        CompletionFilter {
            relay: clean(&self.relay),
            staff: clean(&self.staff),
            module: self.module.as_deref().and_then(TrainingModuleId::parse),
        }
    }

    fn page(&self) -> usize {
        self.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1)
    }

    /// The query string of this filter, on page `page`.
    fn link(&self, page: usize) -> String {
        let f = self.filter();
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(r) = f.relay {
            pairs.push(("relay", r));
        }
        if let Some(s) = f.staff {
            pairs.push(("staff", s));
        }
        if let Some(m) = f.module {
            pairs.push(("module", m.to_string()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
        if q.is_empty() { String::new() } else { format!("?{}", q.join("&")) }
    }
}

/// A completion as the pages show it.
pub struct LineShown {
    pub id: String,
    pub email: String,
    pub relay_id: String,
    pub relay: String,
    pub module: String,
    pub completed_on: String,
    pub expires_on: String,
    pub certificate_ref: String,
    pub recorded: String,
}

impl LineShown {
    fn of(l: &CompletionLine) -> Self {
        let c = &l.completion;
        let (relay_id, relay) = l.relay.clone().map(|(id, name)| (id.to_string(), name)).unwrap_or_default();
        Self {
            id: c.id.to_string(),
            email: l.email.clone(),
            relay_id,
            relay,
            module: l.module_title.clone(),
            completed_on: shown(c.completed_on),
            expires_on: shown(c.expires_on),
            certificate_ref: c.certificate_ref.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default(),
            recorded: local(c.created_at.and_utc()),
        }
    }
}

/// The record form's values, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RecordForm {
    csrf: Option<String>,
    staff: Option<String>,
    module: Option<String>,
    completed_on: Option<String>,
    certificate_ref: Option<String>,
}

impl RecordForm {
    pub fn value(&self, field: &str) -> String {
        match field {
            "staff" => self.staff.clone(),
            "module" => self.module.clone(),
            "completed_on" => self.completed_on.clone(),
            "certificate_ref" => self.certificate_ref.clone(),
            _ => None,
        }
        .unwrap_or_default()
    }
}

/// What the record form asks for, once each field reads.
struct Recording {
    email: Email,
    module: TrainingModuleId,
    completed_on: chrono::NaiveDate,
    certificate_ref: Option<Text>,
}

/// An optional certificate reference: empty is none.
fn certificate(raw: Option<&str>) -> Result<Option<Text>, ()> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(c) => Text::parse("certificate_ref", c, 100).map(Some).map_err(|_| ()),
    }
}

impl RecordForm {
    fn recording(&self, tr: Tr) -> Result<Recording, Errors> {
        let mut errors = Errors::default();
        let email = Email::parse(self.staff.as_deref().unwrap_or("")).ok();
        if email.is_none() {
            errors.add(tr, "staff", "trn.err.staff");
        }
        let module = self.module.as_deref().and_then(TrainingModuleId::parse);
        if module.is_none() {
            errors.add(tr, "module", "trn.err.module");
        }
        let completed_on = day(self.completed_on.as_deref());
        if completed_on.is_none() {
            errors.add(tr, "completed_on", "trn.err.completed_on");
        }
        let certificate_ref = certificate(self.certificate_ref.as_deref())
            .map_err(|()| errors.add(tr, "certificate_ref", "trn.err.certificate_ref"))
            .ok();
        match (email, module, completed_on, certificate_ref) {
            (Some(email), Some(module), Some(completed_on), Some(certificate_ref)) => {
                Ok(Recording { email, module, completed_on, certificate_ref })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "console/programme_training_completions.html")]
struct ListPage {
    l: Layout,
    tab: &'static str,
    notice: Option<String>,
    lines: Vec<LineShown>,
    matching: usize,
    page: usize,
    pages: usize,
    page_links: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
    relay: String,
    staff: String,
    module: String,
    modules: Vec<(String, String)>,
    form: RecordForm,
    errors: Errors,
}

fn module_options(tr: Tr, modules: &[TrainingModule]) -> Vec<(String, String)> {
    modules
        .iter()
        .map(|m| {
            let label = match m.retired_on {
                Some(_) => format!("{} ({})", m.title.as_str(), tr.t("trn.state.retired")),
                None => m.title.as_str().to_string(),
            };
            (m.id.to_string(), label)
        })
        .collect()
}

async fn show_list(
    state: &AppState,
    a: &Acting,
    programme: ProgrammeId,
    params: &ListParams,
    form: RecordForm,
    errors: Errors,
) -> HttpResponse {
    let tr = a.tr();
    let listed = training::completion_lines(state, programme, params.filter(), params.page(), PER_PAGE).await;
    let (listed, modules) = match (listed, training::all_modules(state, programme).await) {
        (Ok(l), Ok(m)) => (l, m),
        (Err(e), _) | (_, Err(e)) => return failed(a, e),
    };
    let paging = paging(listed.page, listed.pages, |n| format!("/console/training/completions{}", params.link(n)));
    let notice = match params.done.as_deref() {
        Some("recorded") => Some("trn.completion.recorded"),
        Some("deleted") => Some("trn.completion.deleted"),
        _ => None,
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        l: layout(a, "trn.completions.title"),
        tab: "completions",
        notice: notice.map(|k| tr.t(k).to_string()),
        lines: listed.items.iter().map(LineShown::of).collect(),
        matching: listed.total,
        page: listed.page,
        pages: listed.pages,
        page_links: paging.links,
        prev: paging.prev,
        next: paging.next,
        relay: params.relay.clone().unwrap_or_default(),
        staff: params.staff.clone().unwrap_or_default(),
        module: params.filter().module.map(|m| m.to_string()).unwrap_or_default(),
        modules: module_options(tr, &modules),
        form,
        errors,
    };
    render(status, &page)
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>, q: web::Query<ListParams>) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form = RecordForm { completed_on: Some(crate::domain::today().to_string()), ..RecordForm::default() };
    show_list(&state, &a, programme, &q, form, Errors::default()).await
}

/// The record form: recorded and back to the list, or the list again with each
/// problem beside its field and nothing written.
pub async fn record(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form: RecordForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    let params = ListParams::default();
    let r = match form.recording(a.tr()) {
        Ok(r) => r,
        Err(errors) => return show_list(&state, &a, programme, &params, form, errors).await,
    };
    let done =
        training::record_by_email(&state, programme, a.s.auth.id, r.email, r.module, r.completed_on, r.certificate_ref)
            .await;
    match done {
        Ok(_) => see_other("/console/training/completions?done=recorded"),
        Err(AppError::Validation(errors)) => {
            let errors = Errors::from_service(a.tr(), &errors);
            show_list(&state, &a, programme, &params, form, errors).await
        }
        Err(AppError::Conflict(_)) => {
            let mut errors = Errors::default();
            errors.add(a.tr(), "completed_on", "trn.err.duplicate");
            show_list(&state, &a, programme, &params, form, errors).await
        }
        Err(e) => failed(&a, e),
    }
}

/// Every completion of the programme as the API exports them (the API's export
/// has no filter, so neither has this one).
pub async fn export(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match training::export_completions_csv(&state, programme).await {
        Ok(csv) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"completions.csv\""))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(csv),
        Err(e) => failed(&a, e),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct CorrectForm {
    csrf: Option<String>,
    completed_on: Option<String>,
    certificate_ref: Option<String>,
}

#[derive(Template)]
#[template(path = "console/programme_training_completion.html")]
struct CompletionPage {
    l: Layout,
    tab: &'static str,
    notice: Option<String>,
    line: LineShown,
    completed_on: String,
    certificate_ref: String,
    errors: Errors,
}

/// The manager and the completion of their programme (404 otherwise).
async fn load(
    req: &HttpRequest,
    state: &AppState,
    raw: &str,
) -> Result<(Acting, ProgrammeId, CompletionLine), HttpResponse> {
    let (a, programme) = manager(req, state).await?;
    let found = match CompletionId::parse(raw) {
        Some(id) => training::completion_line(state, programme, id).await,
        None => Err(AppError::NotFound),
    };
    match found {
        Ok(l) => Ok((a, programme, l)),
        Err(e) => Err(failed(&a, e)),
    }
}

fn show_completion(
    a: &Acting,
    line: &CompletionLine,
    form: Option<CorrectForm>,
    errors: Errors,
    notice: Option<&str>,
) -> HttpResponse {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let c = &line.completion;
    let form = form.unwrap_or_else(|| CorrectForm {
        csrf: None,
        completed_on: Some(c.completed_on.to_string()),
        certificate_ref: c.certificate_ref.as_ref().map(|t| t.as_str().to_string()),
    });
    let page = CompletionPage {
        l: layout(a, "trn.completion.title"),
        tab: "completions",
        notice: notice.map(|k| a.tr().t(k).to_string()),
        line: LineShown::of(line),
        completed_on: form.completed_on.unwrap_or_default(),
        certificate_ref: form.certificate_ref.unwrap_or_default(),
        errors,
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<Done>,
) -> HttpResponse {
    let (a, _, line) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let notice = (q.done.as_deref() == Some("corrected")).then_some("trn.completion.corrected");
    show_completion(&a, &line, None, Errors::default(), notice)
}

/// The correction form: the day and the certificate reference (an empty one is
/// cleared); the expiry follows the day. Audited by the service.
pub async fn correct(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (a, programme, line) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form: CorrectForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    let tr = a.tr();
    let mut errors = Errors::default();
    let completed_on = day(form.completed_on.as_deref());
    if completed_on.is_none() {
        errors.add(tr, "completed_on", "trn.err.completed_on");
    }
    let certificate_ref = certificate(form.certificate_ref.as_deref())
        .map_err(|()| errors.add(tr, "certificate_ref", "trn.err.certificate_ref"))
        .ok();
    let (Some(completed_on), Some(certificate_ref)) = (completed_on, certificate_ref) else {
        return show_completion(&a, &line, Some(form), errors, None);
    };
    let change = CompletionChange { completed_on: Some(completed_on), certificate_ref: Some(certificate_ref) };
    let id = line.completion.id;
    match training::correct_completion(&state, programme, a.s.auth.id, id, change).await {
        Ok(_) => see_other(&format!("/console/training/completions/{id}?done=corrected")),
        Err(AppError::Validation(errors)) => {
            show_completion(&a, &line, Some(form), Errors::from_service(tr, &errors), None)
        }
        Err(AppError::Conflict(_)) => {
            errors.add(tr, "completed_on", "trn.err.duplicate");
            show_completion(&a, &line, Some(form), errors, None)
        }
        Err(e) => failed(&a, e),
    }
}

/// The page that asks before a completion is deleted.
pub async fn confirm_delete(req: HttpRequest, state: web::Data<AppState>, id: web::Path<String>) -> HttpResponse {
    let (a, _, line) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let tr = a.tr();
    let shown = LineShown::of(&line);
    let page = ConfirmPage {
        l: layout(&a, "trn.delete.title"),
        tab: "completions",
        heading: tr.t("trn.delete.title").to_string(),
        what: vec![
            (tr.t("trn.col.staff").to_string(), shown.email),
            (tr.t("trn.col.module").to_string(), shown.module),
            (tr.t("trn.col.completed_on").to_string(), shown.completed_on),
        ],
        explain: tr.t("trn.delete.explain").to_string(),
        action: format!("/console/training/completions/{}/delete", shown.id),
        hidden: Vec::new(),
        button: tr.t("trn.delete.confirm").to_string(),
        cancel: format!("/console/training/completions/{}", shown.id),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// Deletes the completion (the service writes the audit row) and goes back to the list.
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (a, programme, line) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form: CsrfForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    match training::delete_completion(&state, programme, a.s.auth.id, line.completion.id).await {
        Ok(()) => see_other("/console/training/completions?done=deleted"),
        Err(e) => failed(&a, e),
    }
}
