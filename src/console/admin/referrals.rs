//! The referral directory (admin): add, edit and retire entries, and the gaps —
//! which regions and languages have no shelter, legal aid or sexual-assault
//! centre. Through the resources service, with the API's checks.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::super::i18n::Tr;
use super::super::pages::{Layout, error_page, render, see_other};
use super::super::session::ConsoleSession;
use super::{FieldErrors, Form, LANGUAGES, admin, admin_action, language_name, region_name};
use crate::domain::{Language, Region};
use crate::http::error::AppError;
use crate::resources::model::{Resource, ResourceKind};
use crate::resources::routes::ResourceRequest;
use crate::resources::service as resources;
use crate::state::AppState;

const KINDS: [ResourceKind; 8] = [
    ResourceKind::Emergency,
    ResourceKind::Helpline,
    ResourceKind::Shelter,
    ResourceKind::CawCpas,
    ResourceKind::PoliceVictimSupport,
    ResourceKind::SexualAssaultCentre,
    ResourceKind::LegalAid,
    ResourceKind::Other,
];

fn kind_name(tr: Tr, k: ResourceKind) -> String {
    tr.t(&format!("ref.kind.{}", k.as_str())).to_string()
}

pub struct EntryRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub regions: String,
    pub languages: String,
    pub contact: String,
    pub active: bool,
}

/// An entry's form: the values shown, and the choices.
pub struct EntryForm {
    pub kind: String,
    pub name: String,
    pub phone: String,
    pub website: String,
    pub opening_hours: String,
    pub active: bool,
    /// `(code, label, checked)`.
    pub regions: Vec<(&'static str, String, bool)>,
    pub languages: Vec<(&'static str, String, bool)>,
    pub kinds: Vec<(&'static str, String)>,
}

impl EntryForm {
    fn new(tr: Tr, r: Option<&Resource>) -> Self {
        Self {
            kind: r.map(|r| r.kind.as_str().to_string()).unwrap_or_default(),
            name: r.map(|r| r.name.clone()).unwrap_or_default(),
            phone: r.and_then(|r| r.phone.clone()).unwrap_or_default(),
            website: r.and_then(|r| r.website.clone()).unwrap_or_default(),
            opening_hours: r.and_then(|r| r.opening_hours.clone()).unwrap_or_default(),
            active: r.is_none_or(|r| r.active),
            regions: Region::ALL
                .iter()
                .map(|g| (g.as_str(), region_name(tr, *g), r.is_some_and(|r| r.regions.contains(g))))
                .collect(),
            languages: LANGUAGES
                .iter()
                .map(|l| (l.as_str(), language_name(tr, *l), r.is_some_and(|r| r.languages.contains(l))))
                .collect(),
            kinds: KINDS.iter().map(|k| (k.as_str(), kind_name(tr, *k))).collect(),
        }
    }

    /// The form as submitted (shown again beside its errors).
    fn from_submitted(tr: Tr, f: &Form) -> Self {
        let mut e = Self::new(tr, None);
        e.kind = f.get("kind").to_string();
        e.name = f.get("name").to_string();
        e.phone = f.get("phone").to_string();
        e.website = f.get("website").to_string();
        e.opening_hours = f.get("opening_hours").to_string();
        e.active = f.get("active") == "on";
        for (code, _, on) in &mut e.regions {
            *on = f.get(&format!("region_{code}")) == "on";
        }
        for (code, _, on) in &mut e.languages {
            *on = f.get(&format!("lang_{code}")) == "on";
        }
        e
    }
}

#[derive(Template)]
#[template(path = "console/admin_referrals.html")]
struct ReferralsPage {
    l: Layout,
    notice: Option<String>,
    gaps: Vec<(String, String, Vec<String>)>,
    rows: Vec<EntryRow>,
    errors: FieldErrors,
    entry: EntryForm,
}

#[derive(Template)]
#[template(path = "console/admin_referral.html")]
struct ReferralPage {
    l: Layout,
    id: String,
    notice: Option<String>,
    errors: FieldErrors,
    entry: EntryForm,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn notice(tr: Tr, done: Option<&str>) -> Option<String> {
    let key = match done? {
        "added" => "ref.done.added",
        "saved" => "ref.done.saved",
        "retired" => "ref.done.retired",
        _ => return None,
    };
    Some(tr.t(key).to_string())
}

async fn list_page(
    state: &AppState,
    s: &ConsoleSession,
    status: StatusCode,
    notice: Option<String>,
    errors: FieldErrors,
    entry: Option<EntryForm>,
) -> HttpResponse {
    let tr = Tr(s.language);
    let all = match resources::all(state).await {
        Ok(a) => a,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    // One row per region and language, with the kinds it lacks.
    let mut gaps: Vec<(String, String, Vec<String>)> = Vec::new();
    for g in resources::gaps(&all) {
        let (region, language) = (region_name(tr, g.region), language_name(tr, g.language));
        match gaps.last_mut() {
            Some((r, l, kinds)) if *r == region && *l == language => kinds.push(kind_name(tr, g.kind)),
            _ => gaps.push((region, language, vec![kind_name(tr, g.kind)])),
        }
    }
    let mut rows: Vec<EntryRow> = all
        .iter()
        .map(|r| EntryRow {
            id: r.id.clone(),
            name: r.name.clone(),
            kind: kind_name(tr, r.kind),
            regions: r.regions.iter().map(|g| region_name(tr, *g)).collect::<Vec<_>>().join(", "),
            languages: r.languages.iter().map(|l| language_name(tr, *l)).collect::<Vec<_>>().join(", "),
            contact: [r.phone.clone(), r.website.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · "),
            active: r.active,
        })
        .collect();
    rows.sort_by_key(|r| !r.active);
    let page = ReferralsPage {
        l: Layout::new(tr, "ref.title", Some(&s.csrf)).for_role(s.auth.role),
        notice,
        gaps,
        rows,
        errors,
        entry: entry.unwrap_or_else(|| EntryForm::new(tr, None)),
    };
    render(status, &page)
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>, q: web::Query<DoneQuery>) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let n = notice(Tr(s.language), q.done.as_deref());
    list_page(&state, &s, StatusCode::OK, n, FieldErrors::default(), None).await
}

/// The submitted form as the API's request; errors found here go beside the fields.
fn request(tr: Tr, f: &Form, errors: &mut FieldErrors) -> Option<ResourceRequest> {
    let kind = f.get("kind").parse::<ResourceKind>().ok();
    if kind.is_none() {
        errors.add(tr, "kind", "ref.err.kind");
    }
    let regions: Vec<Region> =
        Region::ALL.iter().copied().filter(|g| f.get(&format!("region_{}", g.as_str())) == "on").collect();
    let languages: Vec<Language> =
        LANGUAGES.iter().copied().filter(|l| f.get(&format!("lang_{}", l.as_str())) == "on").collect();
    let text = |name: &str| Some(f.get(name).to_string()).filter(|v| !v.is_empty());
    Some(ResourceRequest {
        kind: kind?,
        name: f.get("name").to_string(),
        regions,
        languages,
        phone: text("phone"),
        website: text("website"),
        opening_hours: text("opening_hours"),
        active: Some(f.get("active") == "on"),
    })
}

/// The service's field errors beside the form's fields.
fn field_errors(tr: Tr, e: AppError, errors: &mut FieldErrors) -> Result<(), AppError> {
    let AppError::Validation(list) = e else { return Err(e) };
    for fe in list {
        let (field, key) = match fe.field.as_str() {
            "name" => ("name", "ref.err.name"),
            "regions" => ("regions", "ref.err.regions"),
            "languages" => ("languages", "ref.err.languages"),
            "phone" => ("phone", "ref.err.phone"),
            "website" => ("website", "ref.err.website"),
            "opening_hours" => ("opening_hours", "ref.err.opening_hours"),
            _ => ("kind", "ref.err.kind"),
        };
        errors.add(tr, field, key);
    }
    Ok(())
}

pub async fn add(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (s, form) = match admin_action(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let mut errors = FieldErrors::default();
    let row = request(tr, &form, &mut errors).map(|r| r.into_row(uuid::Uuid::new_v4().to_string()));
    let result = match row {
        Some(Ok(row)) if errors.is_empty() => resources::create(&state, row).await.map(|_| ()),
        Some(Err(e)) => Err(e),
        _ => Err(AppError::Validation(Vec::new())),
    };
    match result {
        Ok(()) => see_other("/console/admin/referrals?done=added"),
        Err(e) => {
            if let Err(e) = field_errors(tr, e, &mut errors) {
                return error_page(tr, Some(&s.csrf), e);
            }
            let entry = EntryForm::from_submitted(tr, &form);
            list_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, None, errors, Some(entry)).await
        }
    }
}

fn entry_id(raw: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(raw).map(|u| u.to_string()).map_err(|_| AppError::NotFound)
}

pub async fn entry(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<DoneQuery>,
) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let found = match entry_id(&id) {
        Ok(id) => resources::find(&state, id).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(r) => render(
            StatusCode::OK,
            &ReferralPage {
                l: Layout::new(tr, "ref.one_title", Some(&s.csrf)).for_role(s.auth.role),
                id: r.id.clone(),
                notice: notice(tr, q.done.as_deref()),
                errors: FieldErrors::default(),
                entry: EntryForm::new(tr, Some(&r)),
            },
        ),
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

/// Saves an entry (the "active" box unticked retires it).
pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form) = match admin_action(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let id = match entry_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let mut errors = FieldErrors::default();
    let row = request(tr, &form, &mut errors).map(|r| r.into_row(id.clone()));
    let result = match row {
        Some(Ok(row)) if errors.is_empty() => resources::replace(&state, row).await.map(|_| ()),
        Some(Err(e)) => Err(e),
        _ => Err(AppError::Validation(Vec::new())),
    };
    match result {
        Ok(()) => see_other(&format!("/console/admin/referrals/{id}?done=saved")),
        Err(e) => {
            if let Err(e) = field_errors(tr, e, &mut errors) {
                return error_page(tr, Some(&s.csrf), e);
            }
            let page = ReferralPage {
                l: Layout::new(tr, "ref.one_title", Some(&s.csrf)).for_role(s.auth.role),
                id,
                notice: None,
                errors,
                entry: EntryForm::from_submitted(tr, &form),
            };
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// Retires an entry: relays no longer get it; it stays listed here.
pub async fn retire(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _) = match admin_action(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let result = async {
        let id = entry_id(&id)?;
        let r = resources::find(&state, id.clone()).await?;
        let request = ResourceRequest {
            kind: r.kind,
            name: r.name,
            regions: r.regions,
            languages: r.languages,
            phone: r.phone,
            website: r.website,
            opening_hours: r.opening_hours,
            active: Some(false),
        };
        resources::replace(&state, request.into_row(id)?).await
    }
    .await;
    match result {
        Ok(_) => see_other("/console/admin/referrals?done=retired"),
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}
