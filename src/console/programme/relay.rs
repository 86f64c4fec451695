//! `/console/relay-points/{id}`: a relay point's details (an edit form checked as
//! the API checks a `PATCH`), its staff with their training and account state,
//! its signals' counts (suppressed below 5 as the statistics are), and
//! deactivation. A relay point outside the manager's programme is not found.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Acting, acting};
use crate::console::i18n::Tr;
use crate::console::pages::{Layout, Stop, check_form, error_page, local, message, parse_form, render, see_other};
use crate::domain::{ProgrammeId, Region, RelayKind, RelayPointId, TrainingStatus, UserId, today};
use crate::http::error::{AppError, FieldError};
use crate::relays::model::{RelayPatch, RelayPoint};
use crate::relays::service as relays;
use crate::signals::model::SignalStatus;
use crate::state::AppState;
use crate::stats::model::suppress;
use crate::training::model::EXPIRING_WINDOW_DAYS;
use crate::users::invitations;
use crate::users::service as users;

/// Staff a relay point's page lists (a relay point has a handful).
const STAFF_ROWS: i64 = 500;

/// The edit form's values, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RelayForm {
    csrf: Option<String>,
    external_id: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    municipality: Option<String>,
    region: Option<String>,
    languages: Option<String>,
}

impl RelayForm {
    fn of(r: &RelayPoint) -> Self {
        let f = &r.fields;
        Self {
            csrf: None,
            external_id: f.external_id.as_ref().map(|e| e.as_str().to_string()),
            kind: Some(f.kind.as_str().into()),
            name: Some(f.name.as_str().into()),
            address: Some(f.address.as_str().into()),
            postcode: Some(f.postcode.to_string()),
            municipality: Some(f.municipality.as_str().into()),
            // "From the postcode" unless the region was set apart from it, so a
            // new postcode brings its region.
            region: Some(if f.region == f.postcode.region() { String::new() } else { f.region.as_str().into() }),
            languages: Some(f.languages.as_slice().join(", ")),
        }
    }

    /// The change the form asks for, as the API's `PATCH` body; a kind or region
    /// that is not one of the choices is an error of that field.
    fn patch(&self) -> Result<RelayPatch, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = self.kind.as_deref().unwrap_or("").parse::<RelayKind>().map_err(|_| {
            errors.push(FieldError::new("kind", "unknown kind"));
        });
        let region = match self.region.as_deref().unwrap_or("") {
            "" => Ok(None),
            r => r.parse::<Region>().map(Some).map_err(|_| errors.push(FieldError::new("region", "unknown region"))),
        };
        let languages = self
            .languages
            .as_deref()
            .unwrap_or("")
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        match (kind, region) {
            (Ok(kind), Ok(region)) => Ok(RelayPatch {
                external_id: self.external_id.clone(),
                kind: Some(kind),
                name: Some(self.name.clone().unwrap_or_default()),
                address: Some(self.address.clone().unwrap_or_default()),
                postcode: Some(self.postcode.clone().unwrap_or_default()),
                municipality: Some(self.municipality.clone().unwrap_or_default()),
                region,
                languages: Some(languages),
                active: None,
            }),
            _ => Err(errors),
        }
    }
}

pub struct StaffShown {
    pub email: String,
    pub account: String,
    pub pending: bool,
    pub training: String,
    pub trained: bool,
}

pub struct CountShown {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "console/programme_relay.html")]
struct RelayPage {
    l: Layout,
    id: String,
    name: String,
    active: bool,
    status_key: &'static str,
    status: String,
    programme: String,
    updated: String,
    notice: Option<String>,
    form: RelayForm,
    /// The text inputs: `(name, label key, value)`.
    inputs: Vec<(&'static str, &'static str, String)>,
    /// `(field, translated message)` beside each field in error.
    errors: Vec<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    regions: Vec<(&'static str, String)>,
    staff: Vec<StaffShown>,
    signals_total: String,
    signals: Vec<CountShown>,
}

impl RelayPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}

/// What the page shows beside its details: staff and signal counts.
struct Around {
    staff: Vec<StaffShown>,
    signals_total: String,
    signals: Vec<CountShown>,
}

/// The staff of a relay point with their account state and training, in one trip.
async fn staff(
    state: &AppState,
    tr: Tr,
    programme: ProgrammeId,
    relay: RelayPointId,
    as_of: NaiveDate,
) -> Result<Vec<StaffShown>, AppError> {
    let (people, open, qualified) = state
        .db
        .run(move |c| {
            let people = users::list_staff(c, programme, Some(relay), None, STAFF_ROWS)?;
            let ids: Vec<UserId> = people.iter().map(|u| u.id).collect();
            let open = invitations::open_expiries(c, &ids)?;
            let qualified = crate::training::status::staff_qualified_until(c, programme, relay, as_of)?;
            Ok::<_, AppError>((people, open, qualified))
        })
        .await?;
    let now = crate::db::now();
    Ok(people
        .into_iter()
        .map(|u| {
            let (account, pending) = match open.get(&u.id) {
                _ if !u.active => (tr.t("rp.account.deactivated").to_string(), false),
                Some(until) if *until > now => {
                    (format!("{} ({} {})", tr.t("rp.account.invited"), tr.t("rp.until"), local(until.and_utc())), true)
                }
                Some(_) => (tr.t("rp.account.invitation_expired").to_string(), true),
                None => (tr.t("rp.account.active").to_string(), false),
            };
            let (training, trained) = match qualified.get(&u.id).copied().flatten() {
                Some(until) => {
                    let key = if (until - as_of).num_days() <= EXPIRING_WINDOW_DAYS {
                        "rp.staff.expiring"
                    } else {
                        "rp.staff.valid"
                    };
                    (format!("{} {}", tr.t(key), until.format("%d/%m/%Y")), true)
                }
                None => (tr.t("rp.staff.not_trained").to_string(), false),
            };
            StaffShown { email: u.email.as_str().to_string(), account, pending, training, trained }
        })
        .collect())
}

/// Signal counts by state, suppressed as the statistics API suppresses them.
async fn signal_counts(state: &AppState, tr: Tr, relay: RelayPointId) -> Result<(String, Vec<CountShown>), AppError> {
    let counts = crate::signals::service::counts_for_relay(state, relay).await?;
    let n = |s: &[SignalStatus]| counts.iter().filter(|(x, _)| s.contains(x)).map(|(_, n)| n).sum::<i64>();
    let groups = [
        ("rp.signals.open", n(&[SignalStatus::Received, SignalStatus::Forwarded, SignalStatus::InProgress])),
        ("rp.signals.completed", n(&[SignalStatus::Completed])),
        ("rp.signals.expired", n(&[SignalStatus::Expired])),
        ("rp.signals.withdrawn", n(&[SignalStatus::Withdrawn])),
    ];
    let parts: Vec<i64> = groups.iter().map(|(_, v)| *v).collect();
    let (total, cells) = suppress(parts.iter().sum(), &parts);
    let shown =
        groups.iter().zip(cells).map(|((k, _), c)| CountShown { label: tr.t(k).to_string(), value: c.to_string() });
    Ok((total.to_string(), shown.collect()))
}

async fn around(state: &AppState, tr: Tr, programme: ProgrammeId, relay: RelayPointId) -> Result<Around, AppError> {
    let staff = staff(state, tr, programme, relay, today()).await?;
    let (signals_total, signals) = signal_counts(state, tr, relay).await?;
    Ok(Around { staff, signals_total, signals })
}

/// Field messages in the page's language (the API's own messages are English).
fn field_message(tr: Tr, field: &str) -> String {
    let key = format!("rp.err.{field}");
    let t = tr.t(&key);
    if t == key { tr.t("rp.err.other").to_string() } else { t.to_string() }
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    a: &Acting,
    programme: ProgrammeId,
    relay: RelayPoint,
    status: TrainingStatus,
    form: Option<RelayForm>,
    errors: Vec<FieldError>,
    notice: Option<&str>,
) -> HttpResponse {
    let tr = a.tr();
    let around = match around(state, tr, programme, relay.id).await {
        Ok(x) => x,
        Err(e) => return error_page(tr, Some(&a.s.csrf), e),
    };
    let programme_name = if a.programme.is_none() {
        relays::get_programme(state, programme).await.map(|p| p.code).unwrap_or_default()
    } else {
        String::new()
    };
    let form = form.unwrap_or_else(|| RelayForm::of(&relay));
    let v = |x: &Option<String>| x.clone().unwrap_or_default();
    let inputs = vec![
        ("name", "rp.col.name", v(&form.name)),
        ("address", "rp.f.address", v(&form.address)),
        ("postcode", "rp.col.postcode", v(&form.postcode)),
        ("municipality", "rp.col.municipality", v(&form.municipality)),
        ("languages", "rp.f.languages", v(&form.languages)),
        ("external_id", "rp.col.external_id", v(&form.external_id)),
    ];
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = RelayPage {
        l: Layout::new(tr, "rp.page_title", Some(&a.s.csrf)).for_role(a.s.auth.role),
        id: relay.id.to_string(),
        name: relay.fields.name.as_str().to_string(),
        active: relay.fields.active,
        status_key: status.as_str(),
        status: tr.t(&format!("rp.status.{}", status.as_str())).to_string(),
        programme: programme_name,
        updated: local(relay.updated_at.and_utc()),
        notice: notice.map(|k| tr.t(k).to_string()),
        inputs,
        form,
        errors: errors.iter().map(|e| (e.field.clone(), field_message(tr, &e.field))).collect(),
        kinds: RelayKind::ALL.iter().map(|k| (k.as_str(), tr.t(&format!("kind.{}", k.as_str())).to_string())).collect(),
        regions: Region::ALL
            .iter()
            .map(|r| (r.as_str(), tr.t(&format!("region.{}", r.as_str())).to_string()))
            .collect(),
        staff: around.staff,
        signals_total: around.signals_total,
        signals: around.signals,
    };
    render(code, &page)
}

#[derive(Deserialize)]
pub struct RelayQuery {
    done: Option<String>,
}

fn relay_id(raw: &str) -> Result<RelayPointId, AppError> {
    RelayPointId::parse(raw).ok_or(AppError::NotFound)
}

/// The acting account and the relay point it may see (404 otherwise).
async fn load(
    req: &HttpRequest,
    state: &AppState,
    raw_id: &str,
) -> Result<(Acting, ProgrammeId, RelayPoint, TrainingStatus), Stop> {
    let a = acting(req, state).await?;
    let found = async {
        let id = relay_id(raw_id)?;
        let programme = a.programme_of(state, id).await?;
        let (relay, status) = relays::get_relay(state, programme, id, today()).await?;
        Ok::<_, AppError>((programme, relay, status))
    }
    .await;
    match found {
        Ok((p, r, s)) => Ok((a, p, r, s)),
        Err(AppError::NotFound) => {
            Err(Box::new(message(StatusCode::NOT_FOUND, a.tr(), Some(&a.s.csrf), "error.title", "rp.not_found")))
        }
        Err(e) => Err(Box::new(error_page(a.tr(), Some(&a.s.csrf), e))),
    }
}

pub async fn relay_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<RelayQuery>,
) -> HttpResponse {
    let (a, programme, relay, status) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let notice = match q.done.as_deref() {
        Some("saved") => Some("rp.saved"),
        Some("deactivated") => Some("rp.deactivated"),
        Some("reactivated") => Some("rp.reactivated"),
        _ => None,
    };
    show(&state, &a, programme, relay, status, None, Vec::new(), notice).await
}

/// The edit form: saved and back to the page, or the page again with each
/// problem beside its field and nothing written.
pub async fn relay_save(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (a, programme, relay, status) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let form: RelayForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    let patch = match form.patch() {
        Ok(p) => p,
        Err(errors) => return show(&state, &a, programme, relay, status, Some(form), errors, None).await,
    };
    match relays::update_relay(&state, programme, relay.id, patch).await {
        Ok(_) => see_other(&format!("/console/relay-points/{}?done=saved", relay.id)),
        Err(AppError::Validation(errors)) => show(&state, &a, programme, relay, status, Some(form), errors, None).await,
        Err(AppError::Conflict(_)) => {
            let errors = vec![FieldError::new("external_id", "taken")];
            show(&state, &a, programme, relay, status, Some(form), errors, None).await
        }
        Err(e) => error_page(a.tr(), Some(&a.s.csrf), e),
    }
}

#[derive(Deserialize, Default)]
pub struct ActiveForm {
    csrf: Option<String>,
    active: Option<String>,
}

/// Deactivate or reactivate.
pub async fn relay_set_active(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (a, programme, relay, _) = match load(&req, &state, &id).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let form: ActiveForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &a.s, form.csrf.as_deref()) {
        return *res;
    }
    let active = form.active.as_deref() == Some("true");
    let patch = RelayPatch { active: Some(active), ..RelayPatch::default() };
    match relays::update_relay(&state, programme, relay.id, patch).await {
        Ok(_) => {
            let done = if active { "reactivated" } else { "deactivated" };
            see_other(&format!("/console/relay-points/{}?done={done}", relay.id))
        }
        Err(e) => error_page(a.tr(), Some(&a.s.csrf), e),
    }
}
