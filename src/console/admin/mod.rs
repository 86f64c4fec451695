//! The admin's pages: the route simulator, and the helplines and local services
//! (languages, delivery channels with a test delivery, weekly hours, dated
//! exceptions and public holidays on a month calendar). Admins only; every other
//! role gets 403. The pages call the same services as the JSON API: a change of a
//! helpline goes through `routing::service::change_helpline`, which audits it,
//! e-mails the helpline's supervisors and holds deliveries after a channel change.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use serde::Deserialize;

use super::i18n::Tr;
use super::pages::{
    HasCsrf, Layout, Stop, check_form, error_page, local, message, parse_form, render, see_other, signed_in,
};
use super::session::ConsoleSession;
use crate::domain::{HelplineId, Language, Region, Role};
use crate::http::error::{AppError, FieldError};
use crate::outbox::service as outbox;
use crate::relays::model::Postcode;
use crate::routing::holidays::is_public_holiday;
use crate::routing::hours::{ClockTime, DateException, Day, TimeRange, WeeklySlot};
use crate::routing::model::DestinationKind;
use crate::routing::routes::{CreateHelplineRequest, UpdateHelplineRequest};
use crate::routing::service::{self as routing, Helpline, HelplineChanges};
use crate::signals::model::Urgency;
use crate::signals::service::{self as signals, ClosedBecause, SimulatedRule, SimulationView};
use crate::state::AppState;

pub mod accounts;
pub mod referrals;
pub mod rules;
pub mod texts;

/// The callback languages, in the order the forms list them.
const LANGUAGES: [Language; 5] = [Language::Nl, Language::Fr, Language::De, Language::En, Language::Other];
const DAYS: [Day; 7] = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri, Day::Sat, Day::Sun];

fn admin_only(s: &ConsoleSession) -> Result<(), Stop> {
    if s.auth.role == Role::Admin {
        Ok(())
    } else {
        Err(Box::new(message(StatusCode::FORBIDDEN, Tr(s.language), Some(&s.csrf), "error.title", "error.forbidden")))
    }
}

/// Signed in as an admin: the session (a page).
async fn admin(req: &HttpRequest, state: &AppState) -> Result<ConsoleSession, Stop> {
    let s = signed_in(req, state, true).await?;
    admin_only(&s)?;
    Ok(s)
}

/// A submitted form, by field name (a repeated name keeps its last value).
#[derive(Deserialize, Default)]
#[serde(transparent)]
pub struct Form(HashMap<String, String>);

impl Form {
    fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", |v| v.trim())
    }
}

impl HasCsrf for Form {
    fn csrf(&self) -> Option<&str> {
        self.0.get("csrf").map(String::as_str)
    }
}

/// Signed in as an admin, with a valid form: the session and the form.
async fn admin_action(req: &HttpRequest, state: &AppState, body: &[u8]) -> Result<(ConsoleSession, Form), Stop> {
    let s = admin(req, state).await?;
    let form: Form = parse_form(body).unwrap_or_default();
    check_form(req, state, &s, form.csrf())?;
    Ok((s, form))
}

/// Messages beside the fields of a form, by field name.
#[derive(Default)]
pub struct FieldErrors(HashMap<&'static str, String>);

impl FieldErrors {
    fn add(&mut self, tr: Tr, field: &'static str, key: &str) {
        self.0.entry(field).or_insert_with(|| tr.t(key).to_string());
    }

    /// The message beside `field` (not named `get`: templates call it).
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A `datetime-local` value, read in Europe/Brussels.
fn parse_local(raw: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").ok()?;
    Brussels.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

fn language_name(tr: Tr, l: Language) -> String {
    tr.t(&format!("lang.{}", l.as_str())).to_string()
}

fn region_name(tr: Tr, r: Region) -> String {
    tr.t(&format!("region.{}", r.as_str())).to_string()
}

// ---------------------------------------------------------------------------
// The route simulator

#[derive(Deserialize)]
pub struct SimulatorQuery {
    postcode: Option<String>,
    language: Option<String>,
    urgency: Option<String>,
    at: Option<String>,
}

pub struct CandidateShown {
    pub name: String,
    pub speaks: String,
    pub open: bool,
    pub state: String,
    pub chosen: bool,
}

pub struct ToldShown {
    pub helpline: String,
    pub open_now: String,
    pub callback: String,
    pub guidance: Option<String>,
    pub referrals: Vec<String>,
}

pub struct SimShown {
    pub at: String,
    pub region: String,
    pub destination: Option<String>,
    pub reason: String,
    pub rule: Option<String>,
    pub rules: Vec<String>,
    pub candidates: Vec<CandidateShown>,
    pub told: Option<ToldShown>,
}

#[derive(Template)]
#[template(path = "console/admin_simulator.html")]
struct SimulatorPage {
    l: Layout,
    postcode: String,
    language: String,
    urgency: String,
    at: String,
    languages: Vec<(&'static str, String)>,
    urgencies: Vec<(&'static str, String)>,
    errors: FieldErrors,
    result: Option<SimShown>,
}

/// A rule in words: "10 · Flanders, 2000–2999, Dutch → 1712".
fn describe_rule(tr: Tr, names: &HashMap<HelplineId, String>, r: &SimulatedRule) -> String {
    let mut parts = Vec::new();
    if let Some(region) = r.region {
        parts.push(region_name(tr, region));
    }
    if let (Some(from), Some(to)) = (r.postcode_from, r.postcode_to) {
        parts.push(format!("{from}–{to}"));
    }
    if let Some(l) = r.language {
        parts.push(language_name(tr, l));
    }
    if parts.is_empty() {
        parts.push(tr.t("sim.rule.any").to_string());
    }
    let to = names.get(&r.helpline_id).cloned().unwrap_or_else(|| r.helpline_id.to_string());
    format!("{} {} · {} → {}", tr.t("sim.rule.priority"), r.priority, parts.join(", "), to)
}

fn shown(tr: Tr, v: SimulationView, names: &HashMap<HelplineId, String>) -> SimShown {
    let chosen = v.destination.as_ref().map(|d| d.id);
    let reason = match (&v.destination, v.rule_matched, &v.rule) {
        (None, _, _) => "sim.reason.none",
        (Some(_), true, Some(_)) => "sim.reason.rule",
        (Some(_), true, None) => "sim.reason.closed",
        (Some(_), false, _) => "sim.reason.no_rule",
    };
    let candidates = v
        .candidates
        .iter()
        .map(|c| {
            let on = c.closed_on.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default();
            let state = match c.closed_because {
                None => tr.t("sim.open").to_string(),
                Some(ClosedBecause::OutsideHours) => tr.t("sim.closed.hours").to_string(),
                Some(ClosedBecause::DatedException) => format!("{} {on}", tr.t("sim.closed.exception")),
                Some(ClosedBecause::PublicHoliday) => format!("{} {on}", tr.t("sim.closed.holiday")),
            };
            CandidateShown {
                name: format!("{} ({})", c.destination.name, c.destination.code),
                speaks: tr.t(if c.speaks_language { "word.yes" } else { "word.no" }).to_string(),
                open: c.open,
                state,
                chosen: Some(c.destination.id) == chosen,
            }
        })
        .collect();
    let told = v.relay_would_be_told.map(|t| ToldShown {
        helpline: format!("{} — {}", t.helpline.name, t.helpline.public_phone),
        open_now: tr.t(if t.helpline_open_now { "word.yes" } else { "word.no" }).to_string(),
        callback: t.expected_callback_from.map(local).unwrap_or_else(|| tr.t("sim.callback.none").to_string()),
        guidance: t.guidance,
        referrals: t
            .referrals
            .iter()
            .map(|r| match &r.phone {
                Some(p) => format!("{} — {p}", r.name),
                None => r.name.clone(),
            })
            .collect(),
    });
    SimShown {
        at: local(v.at),
        region: region_name(tr, v.region),
        destination: v.destination.map(|d| format!("{} ({})", d.name, d.code)),
        reason: tr.t(reason).to_string(),
        rule: v.rule.as_ref().map(|r| describe_rule(tr, names, r)),
        rules: v.matching_rules.iter().map(|r| describe_rule(tr, names, r)).collect(),
        candidates,
        told,
    }
}

async fn helpline_names(state: &AppState) -> Result<HashMap<HelplineId, String>, AppError> {
    let (_, helplines) = state.db.run(routing::load_network).await?;
    Ok(helplines.into_iter().map(|h| (h.id(), h.name)).collect())
}

/// `GET /console/admin/route-simulator`: the form, and with a postcode given, where
/// a signal would go and why. A GET form: it writes nothing.
pub async fn simulator(req: HttpRequest, state: web::Data<AppState>, q: web::Query<SimulatorQuery>) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let q = q.into_inner();
    let mut errors = FieldErrors::default();
    let postcode = q.postcode.unwrap_or_default().trim().to_string();
    let language = q.language.unwrap_or_else(|| "nl".into());
    let urgency = q.urgency.unwrap_or_else(|| "standard".into());
    let at = q.at.unwrap_or_default().trim().to_string();
    let mut result = None;
    let mut status = StatusCode::OK;
    if !postcode.is_empty() {
        let parsed = Postcode::parse(&postcode).ok();
        if parsed.is_none() {
            errors.add(tr, "postcode", "sim.err.postcode");
        }
        let lang = language.parse::<Language>().ok();
        if lang.is_none() {
            errors.add(tr, "language", "sim.err.language");
        }
        let urg = urgency.parse::<Urgency>().ok();
        if urg.is_none() {
            errors.add(tr, "urgency", "sim.err.urgency");
        }
        let when = if at.is_empty() { Some(Utc::now()) } else { parse_local(&at) };
        if when.is_none() {
            errors.add(tr, "at", "sim.err.at");
        }
        if let (Some(p), Some(l), Some(u), Some(w)) = (parsed, lang, urg, when) {
            let run = signals::simulate_route(&state, &p, None, l, u, w).await;
            let names = helpline_names(&state).await;
            match (run, names) {
                (Ok(v), Ok(names)) => result = Some(shown(tr, v, &names)),
                (Err(e), _) | (_, Err(e)) => return error_page(tr, Some(&s.csrf), e),
            }
        } else {
            status = StatusCode::UNPROCESSABLE_ENTITY;
        }
    }
    let at = if at.is_empty() { Utc::now().with_timezone(&Brussels).format("%Y-%m-%dT%H:%M").to_string() } else { at };
    let page = SimulatorPage {
        l: Layout::new(tr, "sim.title", Some(&s.csrf)).for_role(s.auth.role),
        languages: LANGUAGES.iter().map(|l| (l.as_str(), language_name(tr, *l))).collect(),
        urgencies: [Urgency::Standard, Urgency::ImmediateDanger]
            .iter()
            .map(|u| (u.as_str(), tr.t(&format!("urgency.{}", u.as_str())).to_string()))
            .collect(),
        postcode,
        language,
        urgency,
        at,
        errors,
        result,
    };
    render(status, &page)
}

// ---------------------------------------------------------------------------
// Helplines: the list

pub struct HelplineRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub phone: String,
    pub kind: String,
    pub languages: String,
    pub active: String,
    pub channels: String,
}

#[derive(Template)]
#[template(path = "console/admin_helplines.html")]
struct HelplinesPage {
    l: Layout,
    rows: Vec<HelplineRow>,
    /// The "new helpline" form: messages beside its fields and what was typed.
    errors: FieldErrors,
    values: HashMap<&'static str, String>,
    kinds: Vec<(&'static str, String)>,
    /// The languages, with whether the form has them ticked.
    languages: Vec<(&'static str, String, bool)>,
}

impl HelplinesPage {
    /// A value the admin typed, shown again beside its error.
    fn val(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }
}

fn channels_text(tr: Tr, h: &Helpline) -> String {
    let mut c = Vec::new();
    if h.intake_email.is_some() {
        c.push(tr.t("hl.channel.email"));
    }
    if h.webhook_url.is_some() {
        c.push(tr.t("hl.channel.webhook"));
    }
    if c.is_empty() { tr.t("hl.channel.none").to_string() } else { c.join(", ") }
}

pub async fn helplines(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    helplines_page(&state, &s, StatusCode::OK, FieldErrors::default(), HashMap::new()).await
}

async fn helplines_page(
    state: &AppState,
    s: &ConsoleSession,
    status: StatusCode,
    errors: FieldErrors,
    values: HashMap<&'static str, String>,
) -> HttpResponse {
    let tr = Tr(s.language);
    let helplines = match state.db.run(routing::load_network).await {
        Ok((_, h)) => h,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let rows = helplines
        .iter()
        .map(|h| HelplineRow {
            id: h.id().to_string(),
            code: h.destination.code.clone(),
            name: h.name.clone(),
            phone: h.public_phone.clone(),
            kind: tr.t(&format!("hl.kind.{}", h.destination.kind.as_str())).to_string(),
            languages: h.destination.languages.iter().map(|l| language_name(tr, *l)).collect::<Vec<_>>().join(", "),
            active: tr.t(if h.destination.active { "word.yes" } else { "word.no" }).to_string(),
            channels: channels_text(tr, h),
        })
        .collect();
    let page = HelplinesPage {
        l: Layout::new(tr, "hl.title", Some(&s.csrf)).for_role(s.auth.role),
        rows,
        kinds: [DestinationKind::Helpline, DestinationKind::LocalService]
            .iter()
            .map(|k| (k.as_str(), tr.t(&format!("hl.kind.{}", k.as_str())).to_string()))
            .collect(),
        languages: LANGUAGES
            .iter()
            .map(|l| (l.as_str(), language_name(tr, *l), values.contains_key(l.as_str())))
            .collect(),
        errors,
        values,
    };
    render(status, &page)
}

/// Longest helpline name, code and public number (as the API checks them).
const MAX_NAME: usize = 120;
const MAX_CODE: usize = 32;
const MAX_PHONE: usize = 40;

fn check_length(tr: Tr, errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) {
    if value.is_empty() || value.chars().count() > max {
        errors.add(tr, field, &format!("hl.err.{field}"));
    }
}

/// Creates a helpline or local service: code, name, public number, kind and
/// languages; its hours and channels are set on its own page afterwards.
pub async fn create_helpline(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (s, form) = match admin_action(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let mut errors = FieldErrors::default();
    let (code, name, phone) = (form.get("code"), form.get("name"), form.get("public_phone"));
    check_length(tr, &mut errors, "code", code, MAX_CODE);
    check_length(tr, &mut errors, "name", name, MAX_NAME);
    check_length(tr, &mut errors, "public_phone", phone, MAX_PHONE);
    let kind =
        [DestinationKind::Helpline, DestinationKind::LocalService].into_iter().find(|k| k.as_str() == form.get("kind"));
    if kind.is_none() {
        errors.add(tr, "kind", "hl.err.kind");
    }
    let chosen: Vec<Language> =
        LANGUAGES.iter().copied().filter(|l| form.get(&format!("lang_{}", l.as_str())) == "on").collect();
    if chosen.is_empty() {
        errors.add(tr, "languages", "hl.err.languages");
    }
    let mut values: HashMap<&'static str, String> = [
        ("code", code.to_string()),
        ("name", name.to_string()),
        ("public_phone", phone.to_string()),
        ("kind", form.get("kind").to_string()),
    ]
    .into_iter()
    .collect();
    for l in &chosen {
        values.insert(l.as_str(), "on".into());
    }
    if !errors.is_empty() {
        return helplines_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, errors, values).await;
    }
    let request = CreateHelplineRequest {
        code: code.to_string(),
        name: name.to_string(),
        public_phone: phone.to_string(),
        languages: chosen,
        kind,
        weekly_hours: Vec::new(),
        exceptions: Vec::new(),
        open_on_public_holidays: None,
        intake_email: None,
        webhook_url: None,
        webhook_secret: None,
    };
    let helpline = match Helpline::try_from(request) {
        Ok(h) => h,
        Err(AppError::Validation(e)) => {
            let errors = service_errors(tr, &e);
            return helplines_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, errors, values).await;
        }
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let (keys, actor) = (state.master_keys.clone(), s.auth.id);
    match state.db.write(move |c| routing::create_helpline(c, &keys, actor, helpline)).await {
        Ok(h) => see_other(&format!("/console/admin/helplines/{}?done=created", h.id())),
        Err(AppError::Validation(e)) => {
            let errors = service_errors(tr, &e);
            helplines_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, errors, values).await
        }
        Err(AppError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.add(tr, "code", "hl.err.code_taken");
            helplines_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, errors, values).await
        }
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

/// Renames a helpline.
pub async fn rename(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form, h) = match helpline_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let name = form.get("name");
    let values: HashMap<&'static str, String> = [("name", name.to_string())].into_iter().collect();
    let mut errors = FieldErrors::default();
    check_length(tr, &mut errors, "name", name, MAX_NAME);
    if !errors.is_empty() {
        let x = Extras { errors, values, ..Extras::default() };
        return helpline_page(&state, &s, h.id(), StatusCode::UNPROCESSABLE_ENTITY, x).await;
    }
    if name == h.name {
        return see_other(&format!("/console/admin/helplines/{}?done=unchanged", h.id()));
    }
    let r = UpdateHelplineRequest { name: Some(name.to_string()), ..no_change() };
    apply(&state, &s, h.id(), r, |_| {}, "renamed", Extras { values, ..Extras::default() }).await
}

// ---------------------------------------------------------------------------
// Helplines: one helpline

/// One day of the month calendar.
pub struct DayCell {
    /// 0 for the padding before the 1st and after the last day.
    pub day: u32,
    pub date: String,
    pub holiday: bool,
    /// The dated exception of the day, in words.
    pub exception: Option<String>,
    /// The day's weekly hours (or "closed"), in words.
    pub hours: String,
    pub today: bool,
}

pub struct ExceptionShown {
    pub date: String,
    pub label: String,
    pub hours: String,
}

pub struct SlotShown {
    pub index: usize,
    pub day: String,
    pub start: String,
    pub end: String,
}

pub struct TestShown {
    pub delivered: bool,
    pub status: String,
    pub answer: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "console/admin_helpline.html")]
struct HelplinePage {
    l: Layout,
    id: String,
    name: String,
    code: String,
    phone: String,
    notice: Option<String>,
    /// The section the notice belongs to (shown there, where the form was).
    notice_at: &'static str,
    errors: FieldErrors,
    values: HashMap<&'static str, String>,
    languages: Vec<(&'static str, String, bool)>,
    intake_email: String,
    webhook_url: String,
    secret_set: bool,
    held: bool,
    test: Option<TestShown>,
    slots: Vec<SlotShown>,
    days: Vec<(&'static str, String)>,
    weekday_names: Vec<String>,
    open_on_public_holidays: bool,
    month: String,
    month_title: String,
    prev_month: String,
    next_month: String,
    weeks: Vec<Vec<DayCell>>,
    exceptions: Vec<ExceptionShown>,
}

impl HelplinePage {
    /// A value the admin typed, shown again beside its error.
    fn val(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    /// The notice, when it belongs to `section`.
    fn notice_in(&self, section: &str) -> Option<&str> {
        self.notice.as_deref().filter(|_| self.notice_at == section)
    }
}

/// What the helpline page shows besides the helpline itself.
#[derive(Default)]
struct Extras {
    notice: Option<&'static str>,
    errors: FieldErrors,
    values: HashMap<&'static str, String>,
    test: Option<TestShown>,
    month: Option<NaiveDate>,
}

fn ranges_text(tr: Tr, ranges: &[TimeRange]) -> String {
    if ranges.is_empty() {
        tr.t("hl.closed_all_day").to_string()
    } else {
        ranges.iter().map(|r| format!("{}–{}", r.start, r.end)).collect::<Vec<_>>().join(", ")
    }
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn add_months(d: NaiveDate, n: i32) -> NaiveDate {
    let total = d.year() * 12 + i32::try_from(d.month0()).unwrap_or(0) + n;
    NaiveDate::from_ymd_opt(total.div_euclid(12), u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1, 1).unwrap_or(d)
}

fn calendar(tr: Tr, h: &Helpline, first: NaiveDate) -> Vec<Vec<DayCell>> {
    let hours = &h.destination.hours;
    let today = crate::domain::today();
    let pad = first.weekday().num_days_from_monday();
    let mut cells: Vec<DayCell> = (0..pad)
        .map(|_| DayCell {
            day: 0,
            date: String::new(),
            holiday: false,
            exception: None,
            hours: String::new(),
            today: false,
        })
        .collect();
    let mut d = first;
    while d.month() == first.month() {
        let weekly: Vec<TimeRange> = hours
            .weekly
            .iter()
            .filter(|s| s.day.weekday() == d.weekday())
            .map(|s| TimeRange { start: s.start, end: s.end })
            .collect();
        let holiday = is_public_holiday(d);
        let exception = hours.exceptions.iter().find(|e| e.date == d).map(|e| ranges_text(tr, &e.hours));
        let day_hours = if holiday && !hours.open_on_public_holidays && exception.is_none() {
            tr.t("hl.closed_all_day").to_string()
        } else {
            ranges_text(tr, &weekly)
        };
        cells.push(DayCell {
            day: d.day(),
            date: d.format("%Y-%m-%d").to_string(),
            holiday,
            exception,
            hours: day_hours,
            today: d == today,
        });
        d += Duration::days(1);
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(DayCell {
            day: 0,
            date: String::new(),
            holiday: false,
            exception: None,
            hours: String::new(),
            today: false,
        });
    }
    let mut weeks = Vec::new();
    let mut it = cells.into_iter();
    loop {
        let week: Vec<DayCell> = it.by_ref().take(7).collect();
        if week.is_empty() {
            return weeks;
        }
        weeks.push(week);
    }
}

async fn helpline_page(
    state: &AppState,
    s: &ConsoleSession,
    id: HelplineId,
    status: StatusCode,
    x: Extras,
) -> HttpResponse {
    let tr = Tr(s.language);
    let h = match state.db.run(move |c| routing::get_helpline(c, id)).await {
        Ok(h) => h,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let first = month_start(x.month.unwrap_or_else(crate::domain::today));
    let month_key = |d: NaiveDate| d.format("%Y-%m").to_string();
    let mut exceptions = h.destination.hours.exceptions.clone();
    exceptions.sort_by_key(|e| e.date);
    let page = HelplinePage {
        l: Layout::new(tr, "hl.one_title", Some(&s.csrf)).for_role(s.auth.role),
        id: id.to_string(),
        name: h.name.clone(),
        code: h.destination.code.clone(),
        phone: h.public_phone.clone(),
        notice: x.notice.map(|k| tr.t(k).to_string()),
        notice_at: match x.notice {
            Some("hl.done.languages") => "languages",
            Some("hl.done.channels") => "channels",
            Some("hl.done.hours") => "hours",
            Some("hl.done.exception_added" | "hl.done.exception_removed") => "calendar",
            Some("hl.done.renamed") => "name",
            _ => "top",
        },
        languages: LANGUAGES
            .iter()
            .map(|l| (l.as_str(), language_name(tr, *l), h.destination.languages.contains(l)))
            .collect(),
        intake_email: h.intake_email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default(),
        webhook_url: h.webhook_url.clone().unwrap_or_default(),
        secret_set: h.webhook_secret.is_some(),
        held: h.channels_unconfirmed(),
        test: x.test,
        slots: h
            .destination
            .hours
            .weekly
            .iter()
            .enumerate()
            .map(|(index, w)| SlotShown {
                index,
                day: tr.t(&format!("day.{}", day_key(w.day))).to_string(),
                start: w.start.to_string(),
                end: w.end.to_string(),
            })
            .collect(),
        days: DAYS.iter().map(|d| (day_key(*d), tr.t(&format!("day.{}", day_key(*d))).to_string())).collect(),
        weekday_names: DAYS.iter().map(|d| tr.t(&format!("day.{}", day_key(*d))).to_string()).collect(),
        open_on_public_holidays: h.destination.hours.open_on_public_holidays,
        month: month_key(first),
        month_title: format!("{} {}", tr.t(&format!("month.{}", first.month())), first.year()),
        prev_month: month_key(add_months(first, -1)),
        next_month: month_key(add_months(first, 1)),
        weeks: calendar(tr, &h, first),
        exceptions: exceptions
            .iter()
            .map(|e| ExceptionShown {
                date: e.date.format("%Y-%m-%d").to_string(),
                label: e.date.format("%d/%m/%Y").to_string(),
                hours: ranges_text(tr, &e.hours),
            })
            .collect(),
        errors: x.errors,
        values: x.values,
    };
    render(status, &page)
}

fn day_key(d: Day) -> &'static str {
    match d {
        Day::Mon => "mon",
        Day::Tue => "tue",
        Day::Wed => "wed",
        Day::Thu => "thu",
        Day::Fri => "fri",
        Day::Sat => "sat",
        Day::Sun => "sun",
    }
}

#[derive(Deserialize)]
pub struct HelplineQuery {
    month: Option<String>,
    done: Option<String>,
}

fn parse_month(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d").ok()
}

pub async fn helpline(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<HelplineQuery>,
) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let Some(id) = HelplineId::parse(&id) else {
        return error_page(Tr(s.language), Some(&s.csrf), AppError::NotFound);
    };
    let notice = match q.done.as_deref() {
        Some("languages") => Some("hl.done.languages"),
        Some("channels") => Some("hl.done.channels"),
        Some("hours") => Some("hl.done.hours"),
        Some("exception_added") => Some("hl.done.exception_added"),
        Some("exception_removed") => Some("hl.done.exception_removed"),
        Some("unchanged") => Some("hl.done.unchanged"),
        Some("renamed") => Some("hl.done.renamed"),
        Some("created") => Some("hl.done.created"),
        _ => None,
    };
    let x = Extras { notice, month: q.month.as_deref().and_then(parse_month), ..Extras::default() };
    helpline_page(&state, &s, id, StatusCode::OK, x).await
}

/// An update with nothing in it yet.
fn no_change() -> UpdateHelplineRequest {
    UpdateHelplineRequest {
        name: None,
        public_phone: None,
        languages: None,
        kind: None,
        active: None,
        weekly_hours: None,
        exceptions: None,
        open_on_public_holidays: None,
        intake_email: None,
        webhook_url: None,
        webhook_secret: None,
    }
}

/// The service's field errors, beside the console's fields.
fn service_errors(tr: Tr, errors: &[FieldError]) -> FieldErrors {
    let mut out = FieldErrors::default();
    for e in errors {
        let (field, key) = match e.field.as_str() {
            "name" => ("name", "hl.err.name_taken"),
            "code" => ("code", "hl.err.code"),
            "public_phone" => ("public_phone", "hl.err.public_phone"),
            "intake_email" => ("intake_email", "hl.err.intake_email"),
            "webhook_url" => ("webhook_url", "hl.err.webhook_url"),
            "webhook_secret" => ("webhook_secret", "hl.err.webhook_secret"),
            "languages" => ("languages", "hl.err.languages"),
            f if f.starts_with("weekly_hours") => ("slot", "hl.err.slot"),
            f if f.starts_with("exceptions") => ("exception", "hl.err.exception"),
            _ => ("form", "hl.err.form"),
        };
        out.add(tr, field, key);
    }
    out
}

/// Applies `changes` through the service, then goes to the helpline page with
/// `done`; a refusal shows the page again with the message beside the field.
async fn apply(
    state: &AppState,
    s: &ConsoleSession,
    id: HelplineId,
    r: UpdateHelplineRequest,
    clear: impl FnOnce(&mut HelplineChanges),
    done: &str,
    x: Extras,
) -> HttpResponse {
    let tr = Tr(s.language);
    let month = x.month.map(|m| format!("&month={}", m.format("%Y-%m"))).unwrap_or_default();
    let changes = match HelplineChanges::try_from(r) {
        Ok(mut c) => {
            clear(&mut c);
            c
        }
        Err(AppError::Validation(errors)) => {
            let errors = service_errors(tr, &errors);
            return helpline_page(state, s, id, StatusCode::UNPROCESSABLE_ENTITY, Extras { errors, ..x }).await;
        }
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    match routing::change_helpline(state, s.auth.id, id, changes).await {
        Ok(_) => see_other(&format!("/console/admin/helplines/{id}?done={done}{month}")),
        Err(AppError::Validation(errors)) => {
            let errors = service_errors(tr, &errors);
            helpline_page(state, s, id, StatusCode::UNPROCESSABLE_ENTITY, Extras { errors, ..x }).await
        }
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

/// An admin's form posted about one helpline: the session, the form and the helpline.
async fn helpline_action(
    req: &HttpRequest,
    state: &AppState,
    id: &str,
    body: &[u8],
) -> Result<(ConsoleSession, Form, Helpline), Stop> {
    let (s, form) = admin_action(req, state, body).await?;
    let h = load(state, &s, id).await?;
    Ok((s, form, h))
}

async fn load(state: &AppState, s: &ConsoleSession, raw: &str) -> Result<Helpline, Stop> {
    let tr = Tr(s.language);
    let id = HelplineId::parse(raw).ok_or_else(|| Box::new(error_page(tr, Some(&s.csrf), AppError::NotFound)))?;
    state.db.run(move |c| routing::get_helpline(c, id)).await.map_err(|e| Box::new(error_page(tr, Some(&s.csrf), e)))
}

/// The languages the helpline calls back in.
pub async fn languages(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form, h) = match helpline_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let chosen: Vec<Language> =
        LANGUAGES.iter().copied().filter(|l| form.get(&format!("lang_{}", l.as_str())) == "on").collect();
    if chosen.is_empty() {
        let mut errors = FieldErrors::default();
        errors.add(Tr(s.language), "languages", "hl.err.languages");
        return helpline_page(
            &state,
            &s,
            h.id(),
            StatusCode::UNPROCESSABLE_ENTITY,
            Extras { errors, ..Extras::default() },
        )
        .await;
    }
    if chosen == h.destination.languages {
        return see_other(&format!("/console/admin/helplines/{}?done=unchanged", h.id()));
    }
    let r = UpdateHelplineRequest { languages: Some(chosen), ..no_change() };
    apply(&state, &s, h.id(), r, |_| {}, "languages", Extras::default()).await
}

/// The delivery channels: intake e-mail, webhook URL and secret. An empty field
/// removes the channel (the secret field empty keeps the secret).
pub async fn channels(
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
    let h = match load(&state, &s, &id).await {
        Ok(h) => h,
        Err(res) => return *res,
    };
    let (email, url, secret) = (form.get("intake_email"), form.get("webhook_url"), form.get("webhook_secret"));
    let current_email = h.intake_email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default();
    let current_url = h.webhook_url.clone().unwrap_or_default();
    let mut errors = FieldErrors::default();
    if !url.is_empty() && secret.is_empty() && h.webhook_secret.is_none() {
        errors.add(tr, "webhook_secret", "hl.err.secret_needed");
    }
    if !secret.is_empty() && (secret.len() < 32 || secret.len() > 256) {
        errors.add(tr, "webhook_secret", "hl.err.webhook_secret");
    }
    let values: HashMap<&'static str, String> =
        [("intake_email", email.to_string()), ("webhook_url", url.to_string())].into_iter().collect();
    if !errors.is_empty() {
        return helpline_page(
            &state,
            &s,
            h.id(),
            StatusCode::UNPROCESSABLE_ENTITY,
            Extras { errors, values, ..Extras::default() },
        )
        .await;
    }
    let clear_email = email.is_empty() && !current_email.is_empty();
    let clear_url = url.is_empty() && !current_url.is_empty();
    let r = UpdateHelplineRequest {
        intake_email: (!email.is_empty() && email != current_email).then(|| email.to_string()),
        webhook_url: (!url.is_empty() && url != current_url).then(|| url.to_string()),
        webhook_secret: (!secret.is_empty()).then(|| secret.to_string()),
        // Something to change, so that clearing alone passes the request's check.
        name: (clear_email || clear_url).then(|| h.name.clone()),
        ..no_change()
    };
    let nothing = r.intake_email.is_none() && r.webhook_url.is_none() && r.webhook_secret.is_none() && r.name.is_none();
    if nothing {
        return see_other(&format!("/console/admin/helplines/{}?done=unchanged", h.id()));
    }
    let clear = move |c: &mut HelplineChanges| {
        if clear_email {
            c.intake_email = Some(None);
        }
        if clear_url {
            c.webhook_url = Some(None);
        }
    };
    apply(&state, &s, h.id(), r, clear, "channels", Extras { values, ..Extras::default() }).await
}

/// "Send a test delivery": the page again, with the receiver's answer.
pub async fn test_delivery(
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
    let Some(id) = HelplineId::parse(&id) else {
        return error_page(tr, Some(&s.csrf), AppError::NotFound);
    };
    match outbox::test_delivery(&state, &s.auth, id).await {
        Ok(t) => {
            let test = TestShown {
                delivered: t.delivered,
                status: t.status.map_or_else(|| tr.t("hl.test.no_answer").to_string(), |s| s.to_string()),
                answer: t.answer,
                error: t.error,
            };
            helpline_page(&state, &s, id, StatusCode::OK, Extras { test: Some(test), ..Extras::default() }).await
        }
        Err(AppError::Validation(_)) => {
            let mut errors = FieldErrors::default();
            errors.add(tr, "test", "hl.err.test");
            helpline_page(&state, &s, id, StatusCode::UNPROCESSABLE_ENTITY, Extras { errors, ..Extras::default() })
                .await
        }
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

/// Adds a weekly slot.
pub async fn slot_add(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form, h) = match helpline_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let day = DAYS.iter().copied().find(|d| day_key(*d) == form.get("day"));
    let (start, end) = (ClockTime::parse(form.get("start")), ClockTime::parse(form.get("end")));
    let mut errors = FieldErrors::default();
    let valid = matches!((start, end), (Some(a), Some(b)) if a != b && a.minutes() < 1440);
    if day.is_none() || !valid {
        errors.add(tr, "slot", "hl.err.slot");
    }
    let (Some(day), Some(start), Some(end), true) = (day, start, end, valid) else {
        let values = [("slot_start", form.get("start").to_string()), ("slot_end", form.get("end").to_string())]
            .into_iter()
            .collect();
        return helpline_page(
            &state,
            &s,
            h.id(),
            StatusCode::UNPROCESSABLE_ENTITY,
            Extras { errors, values, ..Extras::default() },
        )
        .await;
    };
    let mut weekly = h.destination.hours.weekly.clone();
    weekly.push(WeeklySlot { day, start, end });
    weekly.sort_by_key(|w| (w.day.weekday().num_days_from_monday(), w.start));
    let r = UpdateHelplineRequest { weekly_hours: Some(weekly), ..no_change() };
    apply(&state, &s, h.id(), r, |_| {}, "hours", Extras::default()).await
}

/// Removes a weekly slot (by its place in the list).
pub async fn slot_remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form, h) = match helpline_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let mut weekly = h.destination.hours.weekly.clone();
    let Some(i) = form.get("index").parse::<usize>().ok().filter(|i| *i < weekly.len()) else {
        return see_other(&format!("/console/admin/helplines/{}?done=unchanged", h.id()));
    };
    weekly.remove(i);
    let r = UpdateHelplineRequest { weekly_hours: Some(weekly), ..no_change() };
    apply(&state, &s, h.id(), r, |_| {}, "hours", Extras::default()).await
}

/// Whether the weekly hours also run on Belgian public holidays.
pub async fn holidays(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form, h) = match helpline_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let open = form.get("open_on_public_holidays") == "on";
    if open == h.destination.hours.open_on_public_holidays {
        return see_other(&format!("/console/admin/helplines/{}?done=unchanged", h.id()));
    }
    let month = parse_month(form.get("month"));
    let r = UpdateHelplineRequest { open_on_public_holidays: Some(open), ..no_change() };
    apply(&state, &s, h.id(), r, |_| {}, "hours", Extras { month, ..Extras::default() }).await
}

/// Adds a dated exception: closed all day (a holiday of the helpline's own), or
/// other hours on that date.
pub async fn exception_add(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form, h) = match helpline_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let mut errors = FieldErrors::default();
    let date = NaiveDate::parse_from_str(form.get("date"), "%Y-%m-%d").ok();
    match date {
        None => errors.add(tr, "exception_date", "hl.err.date"),
        Some(d) if h.destination.hours.exceptions.iter().any(|e| e.date == d) => {
            errors.add(tr, "exception_date", "hl.err.date_taken");
        }
        Some(_) => {}
    }
    let closed = form.get("closed") == "on";
    let hours = if closed {
        Vec::new()
    } else {
        match (ClockTime::parse(form.get("start")), ClockTime::parse(form.get("end"))) {
            (Some(start), Some(end)) if (TimeRange { start, end }).is_valid() => vec![TimeRange { start, end }],
            _ => {
                errors.add(tr, "exception_hours", "hl.err.exception_hours");
                Vec::new()
            }
        }
    };
    let values: HashMap<&'static str, String> = [
        ("exception_date", form.get("date").to_string()),
        ("exception_start", form.get("start").to_string()),
        ("exception_end", form.get("end").to_string()),
    ]
    .into_iter()
    .collect();
    let month = date.or_else(|| parse_month(form.get("month")));
    let Some(date) = date.filter(|_| errors.is_empty()) else {
        let x = Extras { errors, values, month, ..Extras::default() };
        return helpline_page(&state, &s, h.id(), StatusCode::UNPROCESSABLE_ENTITY, x).await;
    };
    let mut exceptions = h.destination.hours.exceptions.clone();
    exceptions.push(DateException { date, hours });
    exceptions.sort_by_key(|e| e.date);
    let r = UpdateHelplineRequest { exceptions: Some(exceptions), ..no_change() };
    apply(&state, &s, h.id(), r, |_| {}, "exception_added", Extras { values, month, ..Extras::default() }).await
}

/// Removes the dated exception of a date.
pub async fn exception_remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form, h) = match helpline_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let date = NaiveDate::parse_from_str(form.get("date"), "%Y-%m-%d").ok();
    let mut exceptions = h.destination.hours.exceptions.clone();
    let before = exceptions.len();
    exceptions.retain(|e| Some(e.date) != date);
    if exceptions.len() == before {
        return see_other(&format!("/console/admin/helplines/{}?done=unchanged", h.id()));
    }
    let r = UpdateHelplineRequest { exceptions: Some(exceptions), ..no_change() };
    apply(&state, &s, h.id(), r, |_| {}, "exception_removed", Extras { month: date, ..Extras::default() }).await
}
