//! Accounts (admin): the list filtered by role, state and a part of the e-mail;
//! invite an account of any role with its scope; change a role or scope;
//! deactivate (which ends its console and API sessions), reactivate; reset a
//! second factor; send the invitation again. The audit log, filtered by actor,
//! action and dates. All through the users, auth and audit services.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::super::i18n::Tr;
use super::super::pages::{Layout, error_page, local, render, see_other, urlencode};
use super::super::session::ConsoleSession;
use super::{FieldErrors, admin, admin_action};
use crate::audit::service::{self as audit, AuditQuery};
use crate::auth::service as auth;
use crate::domain::{Email, HelplineId, ProgrammeId, RelayPointId, Role, Scope, StaffLanguage, UserId};
use crate::http::error::{AppError, FieldError};
use crate::http::pagination::Cursor;
use crate::state::AppState;
use crate::users::model::User;
use crate::users::service::{self as users, AccountFilter, NewAccount, RoleChange};

/// Rows a page shows.
const ROWS: i64 = 50;

fn role_name(tr: Tr, r: Role) -> String {
    tr.t(&format!("role.{}", r.as_str())).to_string()
}

/// Names of helplines and programmes, to show scopes and offer them.
struct Names {
    helplines: Vec<(HelplineId, String)>,
    programmes: Vec<(ProgrammeId, String)>,
}

impl Names {
    async fn load(state: &AppState) -> Result<Self, AppError> {
        let (_, helplines) = state.db.run(crate::routing::service::load_network).await?;
        let programmes = crate::relays::service::list_programmes(state, None, None, 200).await?;
        Ok(Self {
            helplines: helplines.into_iter().map(|h| (h.id(), h.name)).collect(),
            programmes: programmes.items.into_iter().map(|p| (p.id, p.name)).collect(),
        })
    }

    fn scope(&self, tr: Tr, s: &Scope) -> String {
        let mut parts = Vec::new();
        if let Some(h) = s.helpline_id {
            let name = self.helplines.iter().find(|(id, _)| *id == h).map_or_else(|| h.to_string(), |(_, n)| n.clone());
            parts.push(format!("{}: {name}", tr.t("acc.helpline")));
        }
        if let Some(p) = s.programme_id {
            let name =
                self.programmes.iter().find(|(id, _)| *id == p).map_or_else(|| p.to_string(), |(_, n)| n.clone());
            parts.push(format!("{}: {name}", tr.t("acc.programme")));
        }
        if let Some(r) = s.relay_point_id {
            parts.push(format!("{}: {r}", tr.t("acc.relay_point")));
        }
        if parts.is_empty() { tr.t("acc.scope.all").to_string() } else { parts.join(", ") }
    }

    fn helpline_options(&self) -> Vec<(String, String)> {
        self.helplines.iter().map(|(id, n)| (id.to_string(), n.clone())).collect()
    }

    fn programme_options(&self) -> Vec<(String, String)> {
        self.programmes.iter().map(|(id, n)| (id.to_string(), n.clone())).collect()
    }
}

pub struct AccountRow {
    pub id: String,
    pub email: String,
    pub role: String,
    pub scope: String,
    pub active: bool,
    pub two_factor: String,
    pub created: String,
}

impl AccountRow {
    fn from(tr: Tr, names: &Names, u: &User) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email.as_str().to_string(),
            role: role_name(tr, u.role),
            scope: names.scope(tr, &u.scope),
            active: u.active,
            two_factor: tr.t(if u.two_factor { "word.yes" } else { "word.no" }).to_string(),
            created: local(u.created_at.and_utc()),
        }
    }
}

/// The choices of the scope fields, and the values typed in.
pub struct ScopeForm {
    pub role: String,
    pub helpline_id: String,
    pub programme_id: String,
    pub relay_point_id: String,
    pub helplines: Vec<(String, String)>,
    pub programmes: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "console/admin_accounts.html")]
struct AccountsPage {
    l: Layout,
    notice: Option<String>,
    roles: Vec<(&'static str, String)>,
    languages: Vec<(&'static str, &'static str)>,
    f_role: String,
    f_state: String,
    f_q: String,
    rows: Vec<AccountRow>,
    next: Option<String>,
    errors: FieldErrors,
    email: String,
    language: String,
    scope: ScopeForm,
}

#[derive(Deserialize, Default)]
pub struct AccountsQuery {
    role: Option<String>,
    state: Option<String>,
    q: Option<String>,
    after: Option<String>,
    done: Option<String>,
}

fn roles(tr: Tr) -> Vec<(&'static str, String)> {
    Role::ALL.iter().map(|r| (r.as_str(), role_name(tr, *r))).collect()
}

/// What the invite form had in it, shown again beside its errors.
#[derive(Default)]
struct Invite {
    errors: FieldErrors,
    email: String,
    language: String,
    role: String,
    helpline_id: String,
    programme_id: String,
    relay_point_id: String,
}

async fn accounts_page(
    state: &AppState,
    s: &ConsoleSession,
    q: AccountsQuery,
    status: StatusCode,
    invite: Invite,
) -> HttpResponse {
    let tr = Tr(s.language);
    let names = match Names::load(state).await {
        Ok(n) => n,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let role = q.role.as_deref().and_then(|r| r.parse::<Role>().ok());
    let active = match q.state.as_deref() {
        Some("active") => Some(true),
        Some("deactivated") => Some(false),
        _ => None,
    };
    let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| t.chars().take(254).collect::<String>());
    let filter = AccountFilter { role, active, text: text.as_deref().map(str::to_lowercase) };
    let after = q.after.as_deref().and_then(|a| Cursor::decode(a).ok());
    let page = match users::list(state, filter, after, ROWS).await {
        Ok(p) => p,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let f_role = role.map(|r| r.as_str().to_string()).unwrap_or_default();
    let f_state = q.state.clone().filter(|v| v == "active" || v == "deactivated").unwrap_or_default();
    let f_q = text.unwrap_or_default();
    let next = page.next_cursor.map(|c| {
        format!(
            "/console/admin/accounts?role={}&state={}&q={}&after={}",
            urlencode(&f_role),
            urlencode(&f_state),
            urlencode(&f_q),
            urlencode(&c)
        )
    });
    let notice = match q.done.as_deref() {
        Some("invited") => Some("acc.done.invited"),
        Some("invited_no_mail") => Some("acc.done.invited_no_mail"),
        _ => None,
    };
    let page = AccountsPage {
        l: Layout::new(tr, "acc.title", Some(&s.csrf)).for_role(s.auth.role),
        notice: notice.map(|k| tr.t(k).to_string()),
        roles: roles(tr),
        languages: super::super::i18n::LANGUAGES.to_vec(),
        f_role,
        f_state,
        f_q,
        rows: page.items.iter().map(|u| AccountRow::from(tr, &names, u)).collect(),
        next,
        errors: invite.errors,
        email: invite.email,
        language: if invite.language.is_empty() { "en".into() } else { invite.language },
        scope: ScopeForm {
            role: invite.role,
            helpline_id: invite.helpline_id,
            programme_id: invite.programme_id,
            relay_point_id: invite.relay_point_id,
            helplines: names.helpline_options(),
            programmes: names.programme_options(),
        },
    };
    render(status, &page)
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>, q: web::Query<AccountsQuery>) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    accounts_page(&state, &s, q.into_inner(), StatusCode::OK, Invite::default()).await
}

/// The scope fields of a form, parsed; an id that does not parse is an error
/// beside its field.
fn scope_of(tr: Tr, form: &super::Form, errors: &mut FieldErrors) -> Scope {
    let mut id = |field: &'static str| -> Option<String> {
        let v = form.get(field);
        if v.is_empty() {
            return None;
        }
        if uuid::Uuid::parse_str(v).is_err() {
            errors.add(tr, field, "acc.err.id");
            return None;
        }
        Some(v.to_string())
    };
    Scope {
        helpline_id: id("helpline_id").and_then(|v| HelplineId::parse(&v)),
        programme_id: id("programme_id").and_then(|v| ProgrammeId::parse(&v)),
        relay_point_id: id("relay_point_id").and_then(|v| RelayPointId::parse(&v)),
    }
}

/// The only fields a role's scope uses: the others are ignored (the form offers
/// them all at once).
fn scope_for(role: Role, s: Scope) -> Scope {
    match role {
        Role::Admin => Scope::default(),
        Role::ProgrammeManager => Scope { programme_id: s.programme_id, ..Scope::default() },
        Role::RelayStaff => Scope { relay_point_id: s.relay_point_id, ..Scope::default() },
        Role::HelplineOperator | Role::HelplineSupervisor => Scope { helpline_id: s.helpline_id, ..Scope::default() },
    }
}

/// The services' field errors beside the console's fields.
fn service_errors(tr: Tr, errors: &[FieldError], out: &mut FieldErrors) {
    for e in errors {
        match e.field.as_str() {
            "email" => out.add(tr, "email", "acc.err.email"),
            "helpline_id" => out.add(tr, "helpline_id", "acc.err.helpline"),
            "programme_id" => out.add(tr, "programme_id", "acc.err.programme"),
            "relay_point_id" => out.add(tr, "relay_point_id", "acc.err.relay_point"),
            _ => out.add(tr, "role", "acc.err.scope"),
        }
    }
}

/// Invites an account of any role, with its scope.
pub async fn invite(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (s, form) = match admin_action(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let mut errors = FieldErrors::default();
    let email = Email::parse(form.get("email")).ok();
    if email.is_none() {
        errors.add(tr, "email", "acc.err.email");
    }
    let role = form.get("role").parse::<Role>().ok();
    if role.is_none() {
        errors.add(tr, "role", "acc.err.role");
    }
    let language = form.get("language").parse::<StaffLanguage>().unwrap_or_default();
    let scope = scope_of(tr, &form, &mut errors);
    let mut shown = Invite {
        email: form.get("email").to_string(),
        language: language.as_str().to_string(),
        role: form.get("role").to_string(),
        helpline_id: form.get("helpline_id").to_string(),
        programme_id: form.get("programme_id").to_string(),
        relay_point_id: form.get("relay_point_id").to_string(),
        ..Invite::default()
    };
    let result = match (email, role) {
        (Some(email), Some(role)) if errors.is_empty() => {
            match NewAccount::new(email, role, scope_for(role, scope), language) {
                Ok(account) => users::invite(&state, s.auth.id, account).await,
                Err(e) => Err(e),
            }
        }
        _ => Err(AppError::Validation(Vec::new())),
    };
    match result {
        Ok(invited) => {
            let done = if invited.email_sent { "invited" } else { "invited_no_mail" };
            see_other(&format!("/console/admin/accounts?done={done}"))
        }
        Err(AppError::Validation(field_errors)) => {
            service_errors(tr, &field_errors, &mut errors);
            shown.errors = errors;
            accounts_page(&state, &s, AccountsQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, shown).await
        }
        Err(AppError::Conflict(_)) => {
            errors.add(tr, "email", "acc.err.taken");
            shown.errors = errors;
            accounts_page(&state, &s, AccountsQuery::default(), StatusCode::CONFLICT, shown).await
        }
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

// ---------------------------------------------------------------------------
// One account

#[derive(Template)]
#[template(path = "console/admin_account.html")]
struct AccountPage {
    l: Layout,
    a: AccountRow,
    language: String,
    deactivated: String,
    own: bool,
    notice: Option<String>,
    errors: FieldErrors,
    roles: Vec<(&'static str, String)>,
    scope: ScopeForm,
}

async fn account_page(
    state: &AppState,
    s: &ConsoleSession,
    id: UserId,
    status: StatusCode,
    notice: Option<&str>,
    errors: FieldErrors,
    typed: Option<HashMap<&'static str, String>>,
) -> HttpResponse {
    let tr = Tr(s.language);
    let (user, names) = match (users::get(state, id).await, Names::load(state).await) {
        (Ok(u), Ok(n)) => (u, n),
        (Err(e), _) | (_, Err(e)) => return error_page(tr, Some(&s.csrf), e),
    };
    let typed = typed.unwrap_or_default();
    let pick = |k: &'static str, current: Option<String>| typed.get(k).cloned().or(current).unwrap_or_default();
    let scope = ScopeForm {
        role: pick("role", Some(user.role.as_str().to_string())),
        helpline_id: pick("helpline_id", user.scope.helpline_id.map(|h| h.to_string())),
        programme_id: pick("programme_id", user.scope.programme_id.map(|p| p.to_string())),
        relay_point_id: pick("relay_point_id", user.scope.relay_point_id.map(|r| r.to_string())),
        helplines: names.helpline_options(),
        programmes: names.programme_options(),
    };
    let page = AccountPage {
        l: Layout::new(tr, "acc.one_title", Some(&s.csrf)).for_role(s.auth.role),
        a: AccountRow::from(tr, &names, &user),
        language: super::super::i18n::LANGUAGES
            .iter()
            .find(|(code, _)| *code == user.language.as_str())
            .map_or_else(|| user.language.as_str().to_string(), |(_, name)| (*name).to_string()),
        deactivated: user.deactivated_at.map(|t| local(t.and_utc())).unwrap_or_default(),
        own: user.id == s.auth.id,
        notice: notice.map(|k| tr.t(k).to_string()),
        errors,
        roles: roles(tr),
        scope,
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct AccountQuery {
    done: Option<String>,
}

pub async fn account(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<AccountQuery>,
) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let Some(id) = UserId::parse(&id) else {
        return error_page(Tr(s.language), Some(&s.csrf), AppError::NotFound);
    };
    let notice = match q.done.as_deref() {
        Some("role") => Some("acc.done.role"),
        Some("deactivated") => Some("acc.done.deactivated"),
        Some("reactivated") => Some("acc.done.reactivated"),
        Some("second_factor") => Some("acc.done.second_factor"),
        Some("invited") => Some("acc.done.invited"),
        Some("invited_no_mail") => Some("acc.done.invited_no_mail"),
        _ => None,
    };
    account_page(&state, &s, id, StatusCode::OK, notice, FieldErrors::default(), None).await
}

fn account_url(id: UserId, done: &str) -> String {
    format!("/console/admin/accounts/{id}?done={done}")
}

/// Parses the path's id, after the session and form checks.
async fn account_action(
    req: &HttpRequest,
    state: &AppState,
    raw: &str,
    body: &[u8],
) -> Result<(ConsoleSession, super::Form, UserId), HttpResponse> {
    let (s, form) = admin_action(req, state, body).await.map_err(|r| *r)?;
    let id = UserId::parse(raw).ok_or_else(|| error_page(Tr(s.language), Some(&s.csrf), AppError::NotFound))?;
    Ok((s, form, id))
}

/// A refusal of the service on the account page: a conflict (your own account)
/// beside the form, anything else as an error page.
async fn refused(state: &AppState, s: &ConsoleSession, id: UserId, e: AppError, field: &'static str) -> HttpResponse {
    let tr = Tr(s.language);
    match e {
        AppError::Conflict(_) => {
            let mut errors = FieldErrors::default();
            errors.add(tr, field, "acc.err.own");
            account_page(state, s, id, StatusCode::CONFLICT, None, errors, None).await
        }
        e => error_page(tr, Some(&s.csrf), e),
    }
}

/// Changes the role and scope.
pub async fn change_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form, id) = match account_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let tr = Tr(s.language);
    let mut errors = FieldErrors::default();
    let role = form.get("role").parse::<Role>().ok();
    if role.is_none() {
        errors.add(tr, "role", "acc.err.role");
    }
    let scope = scope_of(tr, &form, &mut errors);
    let typed: HashMap<&'static str, String> = ["role", "helpline_id", "programme_id", "relay_point_id"]
        .into_iter()
        .map(|k| (k, form.get(k).to_string()))
        .collect();
    let result = match role {
        Some(role) if errors.is_empty() => match RoleChange::new(role, scope_for(role, scope)) {
            Ok(change) => users::change_role(&state, s.auth.id, id, change).await.map(|_| ()),
            Err(e) => Err(e),
        },
        _ => Err(AppError::Validation(Vec::new())),
    };
    match result {
        Ok(()) => see_other(&account_url(id, "role")),
        Err(AppError::Validation(field_errors)) => {
            service_errors(tr, &field_errors, &mut errors);
            account_page(&state, &s, id, StatusCode::UNPROCESSABLE_ENTITY, None, errors, Some(typed)).await
        }
        Err(e) => refused(&state, &s, id, e, "role").await,
    }
}

/// Deactivates the account: it can no longer sign in, and its console and API
/// sessions end (the console re-reads the account on every request).
pub async fn deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _, id) = match account_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match users::deactivate(&state, s.auth.id, id).await {
        Ok(_) => see_other(&account_url(id, "deactivated")),
        Err(e) => refused(&state, &s, id, e, "state").await,
    }
}

pub async fn reactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _, id) = match account_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match users::reactivate(&state, s.auth.id, id).await {
        Ok(_) => see_other(&account_url(id, "reactivated")),
        Err(e) => refused(&state, &s, id, e, "state").await,
    }
}

/// Removes the account's second factor: it enrols again at its next sign-in.
pub async fn reset_second_factor(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _, id) = match account_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match auth::reset_second_factor(&state, s.auth.id, id).await {
        Ok(()) => see_other(&account_url(id, "second_factor")),
        Err(e) => refused(&state, &s, id, e, "second_factor").await,
    }
}

/// Sends the invitation again (a new token; accepting it reactivates).
pub async fn reinvite(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _, id) = match account_action(&req, &state, &id, &body).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    match users::reinvite(&state, s.auth.id, id).await {
        Ok(i) => see_other(&account_url(id, if i.email_sent { "invited" } else { "invited_no_mail" })),
        Err(e) => refused(&state, &s, id, e, "invitation").await,
    }
}

// ---------------------------------------------------------------------------
// The audit log

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub reference: String,
    pub subject: String,
}

#[derive(Template)]
#[template(path = "console/admin_audit.html")]
struct AuditPage {
    l: Layout,
    actors: Vec<(String, String)>,
    actions: Vec<(&'static str, String)>,
    f_actor: String,
    f_action: String,
    f_from: String,
    f_to: String,
    errors: FieldErrors,
    rows: Vec<AuditRow>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct AuditFilterQuery {
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
}

pub async fn audit_log(req: HttpRequest, state: web::Data<AppState>, q: web::Query<AuditFilterQuery>) -> HttpResponse {
    let s = match admin(&req, &state).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let q = q.into_inner();
    let mut errors = FieldErrors::default();
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let (f_actor, f_action, f_from, f_to) = (text(&q.actor), text(&q.action), text(&q.from), text(&q.to));
    let actor = f_actor.as_deref().and_then(|a| {
        let id = UserId::parse(a);
        if id.is_none() {
            errors.add(tr, "actor", "audit.err.actor");
        }
        id
    });
    let action = f_action.as_deref().and_then(|a| {
        let known = crate::audit::Action::parse(a);
        if known.is_none() {
            errors.add(tr, "action", "audit.err.action");
        }
        known
    });
    let mut date = |field: &'static str, v: &Option<String>| {
        v.as_deref().and_then(|d| {
            let parsed = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.add(tr, field, "audit.err.date");
            }
            parsed
        })
    };
    let (from, to) = (date("from", &f_from), date("to", &f_to));
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.add(tr, "to", "audit.err.range");
    }
    // Every account, for the actor's choice and to name who acted.
    let accounts = users::list(&state, AccountFilter::default(), None, 200).await.map(|p| p.items).unwrap_or_default();
    let name = |id: Option<UserId>| match id {
        None => tr.t("sup.system").to_string(),
        Some(id) => {
            accounts.iter().find(|u| u.id == id).map_or_else(|| id.to_string(), |u| u.email.as_str().to_string())
        }
    };
    let mut rows = Vec::new();
    let mut next = None;
    let status = if errors.is_empty() {
        let query = AuditQuery {
            actor: actor.map(|a| a.to_string()),
            action: action.map(|a| a.as_str().to_string()),
            from,
            to,
            reference: None,
        };
        let after = q.after.as_deref().and_then(|a| Cursor::decode(a).ok());
        match audit::list(&state, &s.auth, query, after, ROWS).await {
            Ok(page) => {
                rows = page
                    .items
                    .into_iter()
                    .map(|r| AuditRow {
                        at: local(r.at),
                        actor: name(r.actor_id),
                        action: action_name(tr, &r.action),
                        reference: r.reference.unwrap_or_default(),
                        subject: r
                            .subject_id
                            .map(|id| {
                                accounts
                                    .iter()
                                    .find(|u| u.id.to_string() == id)
                                    .map_or(id, |u| u.email.as_str().to_string())
                            })
                            .unwrap_or_default(),
                    })
                    .collect();
                next = page.next_cursor.map(|c| {
                    format!(
                        "/console/admin/audit?actor={}&action={}&from={}&to={}&after={}",
                        urlencode(f_actor.as_deref().unwrap_or("")),
                        urlencode(f_action.as_deref().unwrap_or("")),
                        urlencode(f_from.as_deref().unwrap_or("")),
                        urlencode(f_to.as_deref().unwrap_or("")),
                        urlencode(&c)
                    )
                });
                StatusCode::OK
            }
            Err(e) => return error_page(tr, Some(&s.csrf), e),
        }
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AuditPage {
        l: Layout::new(tr, "audit.title", Some(&s.csrf)).for_role(s.auth.role),
        actors: accounts.iter().map(|u| (u.id.to_string(), u.email.as_str().to_string())).collect(),
        actions: crate::audit::Action::ALL.iter().map(|a| (a.as_str(), action_name(tr, a.as_str()))).collect(),
        f_actor: f_actor.unwrap_or_default(),
        f_action: f_action.unwrap_or_default(),
        f_from: f_from.unwrap_or_default(),
        f_to: f_to.unwrap_or_default(),
        errors,
        rows,
        next,
    };
    render(status, &page)
}

/// An audited action in words (its code when there are none).
fn action_name(tr: Tr, action: &str) -> String {
    let key = format!("action.{action}");
    let text = tr.t(&key);
    if text == key { action.to_string() } else { format!("{text} ({action})") }
}
