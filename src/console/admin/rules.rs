//! The admin's routing rules: the rules in the order they are tried, each in words
//! with its destination; add a rule, change when one is tried, remove one (after a
//! confirmation page). Admins only. The pages call `routing::service`, as the JSON
//! API does (`/api/v1/routing-rules`), so every change is audited there.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::super::i18n::Tr;
use super::super::pages::{Layout, Stop, error_page, render, see_other};
use super::super::session::ConsoleSession;
use super::{FieldErrors, LANGUAGES, admin, admin_action, describe_rule, language_name, region_name};
use crate::domain::{HelplineId, Language, Region};
use crate::http::error::AppError;
use crate::routing::model::{RoutingRule, StoredRule};
use crate::routing::routes::CreateRuleRequest;
use crate::routing::service as routing;
use crate::signals::service::SimulatedRule;
use crate::state::AppState;

/// The routing pages, under `/console/admin/routing`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/routing", web::get().to(page))
        .route("/admin/routing/add", web::post().to(add))
        .route("/admin/routing/{id}/priority", web::post().to(priority))
        .route("/admin/routing/{id}/remove", web::get().to(confirm_remove))
        .route("/admin/routing/{id}/remove", web::post().to(remove));
}

/// A rule as the page lists it.
pub struct RuleShown {
    pub id: String,
    pub priority: i32,
    /// The rule in words, as the route simulator says it.
    pub words: String,
    pub helpline_id: String,
    pub helpline: String,
    /// The route simulator, run for an origin this rule covers.
    pub simulate: String,
}

/// A refused priority change: the rule, the value typed and the message.
pub struct PriorityError {
    pub id: String,
    pub value: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "console/admin_routing.html")]
struct RoutingPage {
    l: Layout,
    notice: Option<String>,
    rules: Vec<RuleShown>,
    errors: FieldErrors,
    values: HashMap<&'static str, String>,
    priority_error: Option<PriorityError>,
    regions: Vec<(&'static str, String)>,
    languages: Vec<(&'static str, String)>,
    helplines: Vec<(String, String)>,
}

impl RoutingPage {
    /// A value the admin typed, shown again beside its error.
    fn val(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    /// The priority field of a rule: what was typed when it was refused, else the rule's.
    fn priority_value(&self, r: &RuleShown) -> String {
        match &self.priority_error {
            Some(e) if e.id == r.id => e.value.clone(),
            _ => r.priority.to_string(),
        }
    }

    /// The message beside a rule's priority field.
    fn priority_error_of(&self, r: &RuleShown) -> Option<&str> {
        self.priority_error.as_ref().filter(|e| e.id == r.id).map(|e| e.message.as_str())
    }
}

#[derive(Template)]
#[template(path = "console/admin_rule_remove.html")]
struct RemovePage {
    l: Layout,
    rule: RuleShown,
}

/// What the page shows besides the rules.
#[derive(Default)]
struct Extras {
    notice: Option<&'static str>,
    errors: FieldErrors,
    values: HashMap<&'static str, String>,
    priority_error: Option<PriorityError>,
}

/// A postcode the rule covers, for the simulator link: the start of its range, else
/// a postcode of its region, else Brussels.
fn sample_postcode(r: &RoutingRule) -> u16 {
    match (r.postcodes, r.region) {
        (Some((from, _)), _) => from,
        (None, Some(Region::Flanders)) => 2000,
        (None, Some(Region::Wallonia)) => 4000,
        (None, Some(Region::Brussels) | None) => 1000,
    }
}

fn shown(tr: Tr, names: &HashMap<HelplineId, String>, s: StoredRule, first_language: Language) -> RuleShown {
    let language = s.rule.language.unwrap_or(first_language);
    let simulate = format!(
        "/console/admin/route-simulator?postcode={}&language={}&urgency=standard#result",
        sample_postcode(&s.rule),
        language.as_str()
    );
    let helpline_id = s.rule.helpline;
    let helpline = names.get(&helpline_id).cloned().unwrap_or_else(|| helpline_id.to_string());
    let priority = s.rule.priority;
    let id = s.id.clone();
    RuleShown {
        id,
        priority,
        words: describe_rule(tr, names, &SimulatedRule::from(s)),
        helpline_id: helpline_id.to_string(),
        helpline,
        simulate,
    }
}

/// The rules and the helplines (by id: name), read in one go.
async fn network(state: &AppState) -> Result<(Vec<StoredRule>, Vec<(HelplineId, String, Language)>), AppError> {
    state
        .db
        .run(|c| {
            let rules = routing::all_rules(c)?;
            let (_, helplines) = routing::load_network(c)?;
            let helplines = helplines
                .into_iter()
                .map(|h| {
                    let first = h.destination.languages.first().copied().unwrap_or(Language::Nl);
                    (h.id(), h.name, first)
                })
                .collect();
            Ok((rules, helplines))
        })
        .await
}

async fn routing_page(state: &AppState, s: &ConsoleSession, status: StatusCode, x: Extras) -> HttpResponse {
    let tr = Tr(s.language);
    let (rules, helplines) = match network(state).await {
        Ok(v) => v,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let names: HashMap<HelplineId, String> = helplines.iter().map(|(id, n, _)| (*id, n.clone())).collect();
    let first: HashMap<HelplineId, Language> = helplines.iter().map(|(id, _, l)| (*id, *l)).collect();
    let rules = rules
        .into_iter()
        .map(|r| {
            let lang = first.get(&r.rule.helpline).copied().unwrap_or(Language::Nl);
            shown(tr, &names, r, lang)
        })
        .collect();
    let page = RoutingPage {
        l: Layout::new(tr, "rt.title", Some(&s.csrf)).for_role(s.auth.role),
        notice: x.notice.map(|k| tr.t(k).to_string()),
        rules,
        errors: x.errors,
        values: x.values,
        priority_error: x.priority_error,
        regions: Region::ALL.iter().map(|r| (r.as_str(), region_name(tr, *r))).collect(),
        languages: LANGUAGES.iter().map(|l| (l.as_str(), language_name(tr, *l))).collect(),
        helplines: helplines.into_iter().map(|(id, name, _)| (id.to_string(), name)).collect(),
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct RoutingQuery {
    done: Option<String>,
}

/// `GET /console/admin/routing`: the rules in the order they are tried.
pub async fn page(req: HttpRequest, state: web::Data<AppState>, q: web::Query<RoutingQuery>) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let notice = match q.done.as_deref() {
        Some("added") => Some("rt.done.added"),
        Some("priority") => Some("rt.done.priority"),
        Some("removed") => Some("rt.done.removed"),
        Some("unchanged") => Some("rt.done.unchanged"),
        _ => None,
    };
    routing_page(&state, &s, StatusCode::OK, Extras { notice, ..Extras::default() }).await
}

/// A priority as typed: a whole number (lower runs first).
fn parse_priority(raw: &str) -> Option<i32> {
    raw.parse::<i32>().ok().filter(|p| (-1_000_000..=1_000_000).contains(p))
}

/// A postcode bound as typed: empty, or four digits 1000–9999.
fn parse_bound(raw: &str) -> Result<Option<i32>, ()> {
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(p) if raw.len() == 4 && (1000..=9999).contains(&p) => Ok(Some(p)),
        _ => Err(()),
    }
}

/// Adds a rule: priority, and any of region, postcode range and callback language,
/// with the helpline it sends to.
pub async fn add(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (s, form) = match admin_action(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let mut errors = FieldErrors::default();
    let fields = ["priority", "region", "postcode_from", "postcode_to", "language", "helpline_id"];
    let values: HashMap<&'static str, String> = fields.iter().map(|f| (*f, form.get(f).to_string())).collect();
    let priority = parse_priority(form.get("priority"));
    if priority.is_none() {
        errors.add(tr, "priority", "rt.err.priority");
    }
    let region = match form.get("region") {
        "" => Some(None),
        r => r.parse::<Region>().ok().map(Some),
    };
    if region.is_none() {
        errors.add(tr, "region", "rt.err.region");
    }
    let language = match form.get("language") {
        "" => Some(None),
        l => l.parse::<Language>().ok().map(Some),
    };
    if language.is_none() {
        errors.add(tr, "language", "rt.err.language");
    }
    let from = parse_bound(form.get("postcode_from"));
    let to = parse_bound(form.get("postcode_to"));
    if from.is_err() {
        errors.add(tr, "postcode_from", "rt.err.postcode");
    }
    if to.is_err() {
        errors.add(tr, "postcode_to", "rt.err.postcode");
    }
    match (from, to) {
        (Ok(Some(_)), Ok(None)) | (Ok(None), Ok(Some(_))) => errors.add(tr, "postcode_to", "rt.err.both"),
        (Ok(Some(f)), Ok(Some(t))) if f > t => errors.add(tr, "postcode_to", "rt.err.order"),
        _ => {}
    }
    let helpline = HelplineId::parse(form.get("helpline_id"));
    if helpline.is_none() {
        errors.add(tr, "helpline_id", "rt.err.helpline");
    }
    let (Some(priority), Some(region), Some(language), Ok(from), Ok(to), Some(helpline), true) =
        (priority, region, language, from, to, helpline, errors.is_empty())
    else {
        let x = Extras { errors, values, ..Extras::default() };
        return routing_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, x).await;
    };
    let request =
        CreateRuleRequest { priority, region, postcode_from: from, postcode_to: to, language, helpline_id: helpline };
    let refused = |errors: FieldErrors, values| Extras { errors, values, ..Extras::default() };
    let rule = match RoutingRule::try_from(request) {
        Ok(r) => r,
        Err(AppError::Validation(_)) => {
            errors.add(tr, "postcode_to", "rt.err.order");
            return routing_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, refused(errors, values)).await;
        }
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let actor = s.auth.id;
    match state.db.write(move |c| routing::create_rule(c, actor, rule)).await {
        Ok(_) => see_other("/console/admin/routing?done=added#notice"),
        Err(AppError::Validation(_)) => {
            // The only refusal left: the helpline is gone.
            errors.add(tr, "helpline_id", "rt.err.helpline");
            routing_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, refused(errors, values)).await
        }
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

/// The rule of an id in a path, or the 404 page.
async fn load(state: &AppState, s: &ConsoleSession, raw: &str) -> Result<StoredRule, Stop> {
    let tr = Tr(s.language);
    let not_found = || Box::new(error_page(tr, Some(&s.csrf), AppError::NotFound));
    let id = uuid::Uuid::parse_str(raw).map_err(|_| not_found())?.to_string();
    match state.db.run(move |c| routing::find_rule(c, &id)).await {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err(not_found()),
        Err(e) => Err(Box::new(error_page(tr, Some(&s.csrf), e))),
    }
}

/// Changes when a rule is tried.
pub async fn priority(
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
    let rule = match load(&state, &s, &id).await {
        Ok(r) => r,
        Err(res) => return *res,
    };
    let raw = form.get("priority");
    let Some(priority) = parse_priority(raw) else {
        let priority_error =
            Some(PriorityError { id: rule.id, value: raw.to_string(), message: tr.t("rt.err.priority").to_string() });
        let x = Extras { priority_error, ..Extras::default() };
        return routing_page(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, x).await;
    };
    if priority == rule.rule.priority {
        return see_other("/console/admin/routing?done=unchanged");
    }
    let actor = s.auth.id;
    match state.db.write(move |c| routing::set_rule_priority(c, actor, &rule.id, priority)).await {
        Ok(_) => see_other("/console/admin/routing?done=priority"),
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

/// "Remove this rule?": the rule in words, and the button that removes it.
pub async fn confirm_remove(req: HttpRequest, state: web::Data<AppState>, id: web::Path<String>) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let rule = match load(&state, &s, &id).await {
        Ok(r) => r,
        Err(res) => return *res,
    };
    let names = match network(&state).await {
        Ok((_, h)) => h,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let first = names.iter().find(|(id, _, _)| *id == rule.rule.helpline).map_or(Language::Nl, |(_, _, l)| *l);
    let names: HashMap<HelplineId, String> = names.into_iter().map(|(id, n, _)| (id, n)).collect();
    let page = RemovePage {
        l: Layout::new(tr, "rt.remove.title", Some(&s.csrf)).for_role(s.auth.role),
        rule: shown(tr, &names, rule, first),
    };
    render(StatusCode::OK, &page)
}

/// Removes a rule (the confirmation page's button).
pub async fn remove(
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
    let rule = match load(&state, &s, &id).await {
        Ok(r) => r,
        Err(res) => return *res,
    };
    let actor = s.auth.id;
    match state.db.write(move |c| routing::delete_rule(c, actor, &rule.id)).await {
        Ok(true) => see_other("/console/admin/routing?done=removed"),
        Ok(false) => error_page(tr, Some(&s.csrf), AppError::NotFound),
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}
