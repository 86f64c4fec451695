//! `/console/training/modules`: the programme's modules (title, required,
//! validity, active or retired from a day), a form to create one, a module's page
//! to edit what the API's `PATCH` allows (title, validity, required) and to retire
//! it from a day, after a confirmation.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Errors, day, failed, layout, manager, shown};
use crate::console::i18n::Tr;
use crate::console::pages::{Layout, check_form, parse_form, render, see_other};
use crate::console::programme::Acting;
use crate::domain::{ProgrammeId, Text, TrainingModuleId, today};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::training::model::{ModuleKind, TrainingModule, ValidityMonths};
use crate::training::service::{self as training, ModuleChange, NewModule};

/// A module as the pages show it.
pub struct ModuleShown {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub required: bool,
    pub validity_months: u32,
    /// `None` while active; the day it stops counting once retired.
    pub retired_on: Option<String>,
    /// Retired on a day still to come.
    pub retiring: bool,
}

impl ModuleShown {
    fn of(tr: Tr, m: &TrainingModule) -> Self {
        Self {
            id: m.id.to_string(),
            title: m.title.as_str().to_string(),
            kind: tr.t(&format!("trn.kind.{}", m.kind.as_str())).to_string(),
            required: m.required,
            validity_months: m.validity.get(),
            retired_on: m.retired_on.map(shown),
            retiring: m.retired_on.is_some_and(|r| r > today()),
        }
    }
}

/// The create and edit forms' values, as typed (all text: a wrong-typed value is
/// an error beside its field, not a refused request).
#[derive(Deserialize, Default, Clone)]
pub struct ModuleForm {
    csrf: Option<String>,
    title: Option<String>,
    kind: Option<String>,
    validity_months: Option<String>,
    required: Option<String>,
}

impl ModuleForm {
    fn of(m: &TrainingModule) -> Self {
        Self {
            csrf: None,
            title: Some(m.title.as_str().to_string()),
            kind: Some(m.kind.as_str().to_string()),
            validity_months: Some(m.validity.get().to_string()),
            required: m.required.then(|| "on".to_string()),
        }
    }

    pub fn value(&self, field: &str) -> String {
        match field {
            "title" => self.title.clone(),
            "kind" => self.kind.clone(),
            "validity_months" => self.validity_months.clone(),
            _ => None,
        }
        .unwrap_or_default()
    }

    pub fn required(&self) -> bool {
        matches!(self.required.as_deref(), Some("on" | "true"))
    }

    fn title(&self, tr: Tr, errors: &mut Errors) -> Option<Text> {
        Text::parse("title", self.title.as_deref().unwrap_or(""), 200)
            .map_err(|_| errors.add(tr, "title", "trn.err.title"))
            .ok()
    }

    fn validity(&self, tr: Tr, errors: &mut Errors) -> Option<ValidityMonths> {
        let raw = self.validity_months.as_deref().unwrap_or("").trim();
        raw.parse::<i64>().ok().and_then(|n| ValidityMonths::parse(n).ok()).or_else(|| {
            errors.add(tr, "validity_months", "trn.err.validity_months");
            None
        })
    }

    fn new_module(&self, tr: Tr) -> Result<NewModule, Errors> {
        let mut errors = Errors::default();
        let title = self.title(tr, &mut errors);
        let kind = self.kind.as_deref().unwrap_or("").parse::<ModuleKind>().ok();
        if kind.is_none() {
            errors.add(tr, "kind", "trn.err.kind");
        }
        let validity = self.validity(tr, &mut errors);
        match (title, kind, validity) {
            (Some(title), Some(kind), Some(validity)) => {
                Ok(NewModule { title, kind, validity, required: self.required() })
            }
            _ => Err(errors),
        }
    }

    fn change(&self, tr: Tr) -> Result<ModuleChange, Errors> {
        let mut errors = Errors::default();
        let title = self.title(tr, &mut errors);
        let validity = self.validity(tr, &mut errors);
        match (title, validity) {
            (Some(title), Some(validity)) => {
                Ok(ModuleChange { title: Some(title), validity: Some(validity), required: Some(self.required()) })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "console/programme_training_modules.html")]
struct ListPage {
    l: Layout,
    tab: &'static str,
    notice: Option<String>,
    modules: Vec<ModuleShown>,
    form: ModuleForm,
    errors: Errors,
    kinds: Vec<(&'static str, String)>,
}

fn kinds(tr: Tr) -> Vec<(&'static str, String)> {
    ModuleKind::ALL.iter().map(|k| (k.as_str(), tr.t(&format!("trn.kind.{}", k.as_str())).to_string())).collect()
}

async fn show_list(
    state: &AppState,
    a: &Acting,
    programme: ProgrammeId,
    form: ModuleForm,
    errors: Errors,
    notice: Option<&str>,
) -> HttpResponse {
    let tr = a.tr();
    let modules = match training::all_modules(state, programme).await {
        Ok(m) => m,
        Err(e) => return failed(a, e),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        l: layout(a, "trn.modules.title"),
        tab: "modules",
        notice: notice.map(|k| tr.t(k).to_string()),
        modules: modules.iter().map(|m| ModuleShown::of(tr, m)).collect(),
        form,
        errors,
        kinds: kinds(tr),
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>, q: web::Query<Done>) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let notice = (q.done.as_deref() == Some("created")).then_some("trn.modules.created");
    let form = ModuleForm { required: Some("on".into()), validity_months: Some("24".into()), ..ModuleForm::default() };
    show_list(&state, &a, programme, form, Errors::default(), notice).await
}

/// The create form: created and back to the list, or the list again with each
/// problem beside its field and nothing written.
pub async fn create(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form: ModuleForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    let new = match form.new_module(a.tr()) {
        Ok(m) => m,
        Err(errors) => return show_list(&state, &a, programme, form, errors, None).await,
    };
    match training::create_module(&state, programme, new).await {
        Ok(_) => see_other("/console/training/modules?done=created"),
        Err(AppError::Validation(errors)) => {
            let errors = Errors::from_service(a.tr(), &errors);
            show_list(&state, &a, programme, form, errors, None).await
        }
        Err(AppError::Conflict(_)) => {
            let mut errors = Errors::default();
            errors.add(a.tr(), "title", "trn.err.title_taken");
            show_list(&state, &a, programme, form, errors, None).await
        }
        Err(e) => failed(&a, e),
    }
}

#[derive(Template)]
#[template(path = "console/programme_training_module.html")]
struct ModulePage {
    l: Layout,
    tab: &'static str,
    notice: Option<String>,
    module: ModuleShown,
    form: ModuleForm,
    errors: Errors,
    from: String,
}

/// The manager and the module of their programme (404 otherwise).
async fn load(
    req: &HttpRequest,
    state: &AppState,
    raw: &str,
) -> Result<(Acting, ProgrammeId, TrainingModule), HttpResponse> {
    let (a, programme) = manager(req, state).await?;
    let found = match TrainingModuleId::parse(raw) {
        Some(id) => training::find_module(state, programme, id).await,
        None => Err(AppError::NotFound),
    };
    match found {
        Ok(m) => Ok((a, programme, m)),
        Err(e) => Err(failed(&a, e)),
    }
}

fn show_module(
    a: &Acting,
    m: &TrainingModule,
    form: Option<ModuleForm>,
    errors: Errors,
    from: Option<String>,
    notice: Option<&str>,
) -> HttpResponse {
    let tr = a.tr();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ModulePage {
        l: layout(a, "trn.module.title"),
        tab: "modules",
        notice: notice.map(|k| tr.t(k).to_string()),
        module: ModuleShown::of(tr, m),
        form: form.unwrap_or_else(|| ModuleForm::of(m)),
        errors,
        from: from.unwrap_or_else(|| today().to_string()),
    };
    render(status, &page)
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<Done>,
) -> HttpResponse {
    let (a, _, m) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let notice = match q.done.as_deref() {
        Some("saved") => Some("trn.module.saved"),
        Some("retired") => Some("trn.module.retired"),
        _ => None,
    };
    show_module(&a, &m, None, Errors::default(), None, notice)
}

/// The edit form: saved (audited by the service) and back to the page, or the
/// page again with each problem beside its field and nothing written.
pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (a, programme, m) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form: ModuleForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    let change = match form.change(a.tr()) {
        Ok(c) => c,
        Err(errors) => return show_module(&a, &m, Some(form), errors, None, None),
    };
    match training::change_module(&state, programme, a.s.auth.id, m.id, change).await {
        Ok(_) => see_other(&format!("/console/training/modules/{}?done=saved", m.id)),
        Err(AppError::Validation(errors)) => {
            show_module(&a, &m, Some(form), Errors::from_service(a.tr(), &errors), None, None)
        }
        Err(e) => failed(&a, e),
    }
}

#[derive(Deserialize, Default)]
pub struct RetireForm {
    csrf: Option<String>,
    from: Option<String>,
    confirm: Option<String>,
}

#[derive(Template)]
#[template(path = "console/programme_training_confirm.html")]
pub(super) struct ConfirmPage {
    pub l: Layout,
    pub tab: &'static str,
    pub heading: String,
    pub what: Vec<(String, String)>,
    pub explain: String,
    pub action: String,
    pub hidden: Vec<(&'static str, String)>,
    pub button: String,
    pub cancel: String,
}

/// Retiring from a day: the form's day is checked, then a page asks to confirm;
/// the confirmed form retires the module (audited) from that day.
pub async fn retire(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (a, programme, m) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form: RetireForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    let tr = a.tr();
    let typed = form.from.clone().unwrap_or_default();
    let refused = |key: &str| {
        let mut errors = Errors::default();
        errors.add(tr, "from", key);
        show_module(&a, &m, None, errors, Some(typed.clone()), None)
    };
    let Some(from) = day(form.from.as_deref()) else {
        return refused("trn.err.from");
    };
    if from < m.created_at.date() {
        return refused("trn.err.from_before_created");
    }
    if form.confirm.as_deref() != Some("yes") {
        let page = ConfirmPage {
            l: layout(&a, "trn.retire.title"),
            tab: "modules",
            heading: tr.t("trn.retire.title").to_string(),
            what: vec![
                (tr.t("trn.col.module").to_string(), m.title.as_str().to_string()),
                (tr.t("trn.retire.from").to_string(), shown(from)),
            ],
            explain: tr.t("trn.retire.explain").to_string(),
            action: format!("/console/training/modules/{}/retire", m.id),
            hidden: vec![("from", from.to_string()), ("confirm", "yes".into())],
            button: tr.t("trn.retire.confirm").to_string(),
            cancel: format!("/console/training/modules/{}", m.id),
        };
        return render(StatusCode::OK, &page);
    }
    match training::retire_module(&state, programme, a.s.auth.id, m.id, from).await {
        Ok(_) => see_other(&format!("/console/training/modules/{}?done=retired", m.id)),
        Err(AppError::Validation(_)) => refused("trn.err.from_before_created"),
        Err(e) => failed(&a, e),
    }
}
