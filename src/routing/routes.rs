//! Endpoints for helplines (destinations) and routing rules. Admins manage them;
//! every signed-in role may read helplines (public names, numbers and hours).

use crate::domain::Role;
use crate::domain::{HelplineId, Language, Region};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::hours::OpeningHours;
use super::hours::{DateException, WeeklySlot};
use super::model::{Destination, DestinationKind, Helpline, RoutingRule, StoredRule, WebhookSecret};
use super::service::{self, join_languages, validate_hours};
use super::store::HelplineChanges;
use crate::db;
use crate::http::error::{AppError, FieldError};
use crate::http::json::StrictJson;
use crate::http::responses::{AuthErrors, BodyErrors, Conflict, NotFound};
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// A helpline or local service. Everyone signed in sees its public face (name,
/// number, languages, hours, open now, next opening); how it receives signals
/// (intake e-mail, webhook) only admins see.
#[derive(Serialize, ToSchema)]
pub struct HelplineView {
    pub id: HelplineId,
    pub code: String,
    pub name: String,
    pub public_phone: String,
    pub kind: DestinationKind,
    pub languages: Vec<Language>,
    pub time_zone: String,
    pub active: bool,
    pub weekly_hours: Vec<WeeklySlot>,
    pub exceptions: Vec<DateException>,
    /// Whether the weekly hours also run on Belgian public holidays; when false the
    /// helpline is closed all day on them (a dated exception for the day still applies).
    pub open_on_public_holidays: bool,
    /// Whether it is open at the time of the response.
    pub open_now: bool,
    /// When it next opens, if it is closed now (within the next three weeks).
    pub next_opening: Option<DateTime<Utc>>,
    /// Admins only: how the helpline receives signals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<ChannelsView>,
}

/// How a helpline receives signals (admins only: an intake address or webhook in
/// the wrong hands would redirect contacts).
#[derive(Serialize, ToSchema)]
pub struct ChannelsView {
    pub intake_email: Option<String>,
    pub webhook_url: Option<String>,
    /// Whether a webhook secret is set (the secret itself is never shown).
    pub webhook_secret_set: bool,
}

impl HelplineView {
    /// The view `role` may see: channels for admins only.
    fn for_role(h: Helpline, role: Role) -> Self {
        let now = Utc::now();
        let hours = &h.destination.hours;
        let open_now = hours.is_open(h.destination.time_zone, now);
        let next_opening = if open_now { None } else { hours.next_opening(h.destination.time_zone, now) };
        let channels = (role == Role::Admin).then(|| ChannelsView {
            intake_email: h.intake_email.as_ref().map(|e| e.as_str().to_string()),
            webhook_url: h.webhook_url.clone(),
            webhook_secret_set: h.webhook_secret.is_some(),
        });
        Self {
            id: h.destination.id,
            code: h.destination.code,
            name: h.name,
            public_phone: h.public_phone,
            kind: h.destination.kind,
            languages: h.destination.languages,
            time_zone: h.destination.time_zone.name().to_string(),
            active: h.destination.active,
            weekly_hours: h.destination.hours.weekly,
            exceptions: h.destination.hours.exceptions,
            open_on_public_holidays: h.destination.hours.open_on_public_holidays,
            open_now,
            next_opening,
            channels,
        }
    }
}

/// Body of `POST /api/v1/helplines`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHelplineRequest {
    pub code: String,
    pub name: String,
    pub public_phone: String,
    pub languages: Vec<Language>,
    pub kind: Option<DestinationKind>,
    pub weekly_hours: Vec<WeeklySlot>,
    #[serde(default)]
    pub exceptions: Vec<DateException>,
    /// Whether the weekly hours also run on Belgian public holidays (default false:
    /// closed all day on them).
    pub open_on_public_holidays: Option<bool>,
    pub intake_email: Option<String>,
    /// Put the contact in notification e-mails (off by default: e-mail is not a safe channel).
    /// HTTPS endpoint of the helpline's case system; gets the signal with its contact.
    /// In production: `https://` to a host resolving to public addresses only
    /// (development also allows `http://` to loopback).
    pub webhook_url: Option<String>,
    /// Shared secret (at least 32 characters) for the webhook's HMAC-SHA256 signature.
    pub webhook_secret: Option<String>,
}

/// Body of `PATCH /api/v1/helplines/{id}`: only the fields given change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateHelplineRequest {
    pub name: Option<String>,
    pub public_phone: Option<String>,
    pub languages: Option<Vec<Language>>,
    pub kind: Option<DestinationKind>,
    pub active: Option<bool>,
    pub weekly_hours: Option<Vec<WeeklySlot>>,
    pub exceptions: Option<Vec<DateException>>,
    /// Whether the weekly hours also run on Belgian public holidays.
    pub open_on_public_holidays: Option<bool>,
    pub intake_email: Option<String>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
}

fn required_text(field: &str, v: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max {
        errors.push(FieldError::new(field, format!("must be 1 to {max} characters")));
    }
    v.to_string()
}

fn to_json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::internal(format!("serialising hours: {e}")))
}

fn check_webhook(url: &Option<String>, secret: &Option<String>, errors: &mut Vec<FieldError>) {
    if url.as_deref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")) || u.len() > 500) {
        errors.push(FieldError::new("webhook_url", "must be an http(s) URL of at most 500 characters"));
    }
    if secret.as_deref().is_some_and(|s| s.len() < 32 || s.len() > 256) {
        errors.push(FieldError::new("webhook_secret", "must be 32 to 256 characters"));
    }
}

fn check_email(v: &Option<String>, errors: &mut Vec<FieldError>) {
    if let Some(e) = v
        && crate::domain::Email::parse(e).is_err()
    {
        errors.push(FieldError::new("intake_email", "is not a valid e-mail address"));
    }
}

impl TryFrom<CreateHelplineRequest> for Helpline {
    type Error = AppError;
    fn try_from(r: CreateHelplineRequest) -> Result<Self, AppError> {
        let mut errors = validate_hours(&r.weekly_hours, &r.exceptions);
        let code = required_text("code", &r.code, 32, &mut errors);
        let name = required_text("name", &r.name, 120, &mut errors);
        let public_phone = required_text("public_phone", &r.public_phone, 40, &mut errors);
        if r.languages.is_empty() {
            errors.push(FieldError::new("languages", "at least one language"));
        }
        check_email(&r.intake_email, &mut errors);
        check_webhook(&r.webhook_url, &r.webhook_secret, &mut errors);
        if r.webhook_url.is_some() != r.webhook_secret.is_some() {
            errors.push(FieldError::new("webhook_secret", "give webhook_url and webhook_secret together"));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(Helpline {
            destination: Destination {
                id: HelplineId::new(),
                code,
                kind: r.kind.unwrap_or(DestinationKind::Helpline),
                languages: r.languages,
                active: true,
                time_zone: chrono_tz::Europe::Brussels,
                hours: OpeningHours {
                    weekly: r.weekly_hours,
                    exceptions: r.exceptions,
                    open_on_public_holidays: r.open_on_public_holidays.unwrap_or(false),
                },
            },
            name,
            public_phone,
            intake_email: r
                .intake_email
                .as_deref()
                .map(crate::domain::Email::parse)
                .transpose()
                .map_err(|e| AppError::Validation(vec![FieldError::new("intake_email", e.message)]))?,
            webhook_url: r.webhook_url,
            webhook_secret: r.webhook_secret.map(WebhookSecret::given),
            created_at: db::now(),
            channels_changed_at: None,
            channels_confirmed_at: None,
        })
    }
}

impl TryFrom<UpdateHelplineRequest> for HelplineChanges {
    type Error = AppError;
    fn try_from(r: UpdateHelplineRequest) -> Result<Self, AppError> {
        let mut errors =
            validate_hours(r.weekly_hours.as_deref().unwrap_or(&[]), r.exceptions.as_deref().unwrap_or(&[]));
        let name = r.name.map(|n| required_text("name", &n, 120, &mut errors));
        let public_phone = r.public_phone.map(|p| required_text("public_phone", &p, 40, &mut errors));
        if r.languages.as_ref().is_some_and(Vec::is_empty) {
            errors.push(FieldError::new("languages", "at least one language"));
        }
        check_email(&r.intake_email, &mut errors);
        check_webhook(&r.webhook_url, &r.webhook_secret, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let changes = HelplineChanges {
            name,
            public_phone,
            languages: r.languages.as_deref().map(join_languages),
            active: r.active,
            kind: r.kind.map(|k| k.as_str().to_string()),
            weekly_hours: r.weekly_hours.as_ref().map(to_json).transpose()?,
            exceptions: r.exceptions.as_ref().map(to_json).transpose()?,
            intake_email: r.intake_email.map(|e| Some(e.trim().to_lowercase())),
            webhook_url: r.webhook_url.map(Some),
            webhook_secret: r.webhook_secret.map(WebhookSecret::given),
            open_on_public_holidays: r.open_on_public_holidays,
            ..HelplineChanges::default()
        };
        let empty = changes.name.is_none()
            && changes.public_phone.is_none()
            && changes.languages.is_none()
            && changes.active.is_none()
            && changes.kind.is_none()
            && changes.weekly_hours.is_none()
            && changes.exceptions.is_none()
            && changes.intake_email.is_none()
            && changes.webhook_url.is_none()
            && changes.webhook_secret.is_none()
            && changes.open_on_public_holidays.is_none();
        if empty {
            return Err(AppError::invalid("body", "name at least one field to change"));
        }
        Ok(changes)
    }
}

fn helpline_id(raw: &str) -> Result<HelplineId, AppError> {
    HelplineId::parse(raw).ok_or(AppError::NotFound)
}

/// List helplines and local services with their hours.
#[utoipa::path(tag = "routing", responses(
    (status = 200, body = Vec<HelplineView>),
    AuthErrors,
), security(("bearer" = [])))]
#[get("/helplines")]
pub async fn list_helplines(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<Vec<HelplineView>>, AppError> {
    let (_, helplines) = state.db.run(service::load_network).await?;
    Ok(web::Json(helplines.into_iter().map(|h| HelplineView::for_role(h, auth.role)).collect()))
}

/// Read one helpline.
#[utoipa::path(tag = "routing", params(("id" = String, Path)), responses(
    (status = 200, body = HelplineView),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[get("/helplines/{id}")]
pub async fn get_helpline(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<HelplineView>, AppError> {
    let id = helpline_id(&id)?;
    Ok(web::Json(HelplineView::for_role(state.db.run(move |c| service::get_helpline(c, id)).await?, auth.role)))
}

/// Create a helpline or local service (admin). A code already used is a conflict;
/// a name another helpline has (ignoring case) is refused on `name`. Audited.
#[utoipa::path(tag = "routing", request_body = CreateHelplineRequest, responses(
    (status = 201, body = HelplineView),
    BodyErrors, AuthErrors, Conflict,
), security(("bearer" = [])))]
#[post("/helplines")]
pub async fn create_helpline(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<CreateHelplineRequest>,
) -> Result<HttpResponse, AppError> {
    auth.require(&[Role::Admin])?;
    let helpline = Helpline::try_from(body.into_inner()?)?;
    if let Some(url) = &helpline.webhook_url {
        service::check_webhook_destination(url, state.settings.webhook_policy()).await?;
    }
    let keys = state.master_keys.clone();
    let actor = auth.id;
    let created = state.db.write(move |c| service::create_helpline(c, &keys, actor, helpline)).await?;
    Ok(HttpResponse::Created().json(HelplineView::for_role(created, Role::Admin)))
}

/// Change a helpline's details, languages or opening hours (admin). A change of the
/// webhook URL or secret, the intake e-mail or the languages is audited and e-mailed
/// to the helpline's supervisors at once; a change of a delivery channel holds the
/// deliveries of signals filed before it until a supervisor confirms it. A new name
/// another helpline has (ignoring case) is refused on `name`; a rename is audited.
#[utoipa::path(tag = "routing", params(("id" = String, Path)), request_body = UpdateHelplineRequest, responses(
    (status = 200, body = HelplineView),
    BodyErrors, AuthErrors, NotFound,
), security(("bearer" = [])))]
#[patch("/helplines/{id}")]
pub async fn update_helpline(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    body: StrictJson<UpdateHelplineRequest>,
) -> Result<web::Json<HelplineView>, AppError> {
    auth.require(&[Role::Admin])?;
    let id = helpline_id(&id)?;
    let changes = HelplineChanges::try_from(body.into_inner()?)?;
    let updated = service::change_helpline(&state, auth.id, id, changes).await?;
    Ok(web::Json(HelplineView::for_role(updated, Role::Admin)))
}

/// A routing rule: when every condition given holds, signals go to `helpline_id`.
#[derive(Serialize, ToSchema)]
pub struct RoutingRuleView {
    pub id: String,
    pub priority: i32,
    pub region: Option<Region>,
    pub postcode_from: Option<i32>,
    pub postcode_to: Option<i32>,
    pub language: Option<Language>,
    pub helpline_id: HelplineId,
    pub created_at: DateTime<Utc>,
}

impl From<StoredRule> for RoutingRuleView {
    fn from(s: StoredRule) -> Self {
        let r = s.rule;
        Self {
            id: s.id,
            priority: r.priority,
            region: r.region,
            postcode_from: r.postcodes.map(|(f, _)| i32::from(f)),
            postcode_to: r.postcodes.map(|(_, t)| i32::from(t)),
            language: r.language,
            helpline_id: r.helpline,
            created_at: s.created_at.and_utc(),
        }
    }
}

/// Body of `POST /api/v1/routing-rules`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRuleRequest {
    /// Lower runs first.
    pub priority: i32,
    pub region: Option<Region>,
    pub postcode_from: Option<i32>,
    pub postcode_to: Option<i32>,
    pub language: Option<Language>,
    pub helpline_id: HelplineId,
}

impl TryFrom<CreateRuleRequest> for RoutingRule {
    type Error = AppError;
    fn try_from(r: CreateRuleRequest) -> Result<Self, AppError> {
        let valid = |p: i32| (1000..=9999).contains(&p);
        match (r.postcode_from, r.postcode_to) {
            (None, None) => {}
            (Some(f), Some(t)) if valid(f) && valid(t) && f <= t => {}
            _ => {
                return Err(AppError::invalid(
                    "postcode_from",
                    "give both postcode_from and postcode_to, 1000–9999, from ≤ to",
                ));
            }
        }
        let postcodes = match (r.postcode_from, r.postcode_to) {
            (Some(f), Some(t)) => Some((u16::try_from(f).unwrap_or(0), u16::try_from(t).unwrap_or(0))),
            _ => None,
        };
        Ok(RoutingRule {
            priority: r.priority,
            region: r.region,
            postcodes,
            language: r.language,
            helpline: r.helpline_id,
        })
    }
}

/// List routing rules in the order they are tried (admin).
#[utoipa::path(tag = "routing", responses(
    (status = 200, body = Vec<RoutingRuleView>),
    AuthErrors,
), security(("bearer" = [])))]
#[get("/routing-rules")]
pub async fn list_routing_rules(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> Result<web::Json<Vec<RoutingRuleView>>, AppError> {
    auth.require(&[Role::Admin])?;
    let rules = state.db.run(service::all_rules).await?;
    Ok(web::Json(rules.into_iter().map(RoutingRuleView::from).collect()))
}

/// Add a routing rule (admin).
#[utoipa::path(tag = "routing", request_body = CreateRuleRequest, responses(
    (status = 201, body = RoutingRuleView),
    BodyErrors, AuthErrors,
), security(("bearer" = [])))]
#[post("/routing-rules")]
pub async fn create_routing_rule(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<CreateRuleRequest>,
) -> Result<HttpResponse, AppError> {
    auth.require(&[Role::Admin])?;
    let rule = RoutingRule::try_from(body.into_inner()?)?;
    let actor = auth.id;
    let created = state.db.write(move |c| service::create_rule(c, actor, rule)).await?;
    Ok(HttpResponse::Created().json(RoutingRuleView::from(created)))
}

/// Remove a routing rule (admin).
#[utoipa::path(tag = "routing", params(("id" = String, Path)), responses(
    (status = 204, description = "Removed"),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[delete("/routing-rules/{id}")]
pub async fn delete_routing_rule(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth.require(&[Role::Admin])?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?.to_string();
    let actor = auth.id;
    if !state.db.write(move |c| service::delete_rule(c, actor, &id)).await? {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Body of `PATCH /api/v1/routing-rules/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRuleRequest {
    /// When the rule is tried: lower runs first.
    pub priority: i32,
}

/// Change when a routing rule is tried (admin); audited.
#[utoipa::path(tag = "routing", params(("id" = String, Path)), request_body = UpdateRuleRequest, responses(
    (status = 200, body = RoutingRuleView),
    BodyErrors, AuthErrors, NotFound,
), security(("bearer" = [])))]
#[patch("/routing-rules/{id}")]
pub async fn update_routing_rule(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
    body: StrictJson<UpdateRuleRequest>,
) -> Result<web::Json<RoutingRuleView>, AppError> {
    auth.require(&[Role::Admin])?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?.to_string();
    let priority = body.into_inner()?.priority;
    let actor = auth.id;
    let rule = state.db.write(move |c| service::set_rule_priority(c, actor, &id, priority)).await?;
    Ok(web::Json(RoutingRuleView::from(rule)))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_helplines)
        .service(get_helpline)
        .service(create_helpline)
        .service(update_helpline)
        .service(list_routing_rules)
        .service(create_routing_rule)
        .service(update_routing_rule)
        .service(delete_routing_rule);
}
