//! The console's pages and form actions. Handlers stay thin: read the session,
//! check the form (CSRF token and origin), call the same services as the API, and
//! render a template or redirect (POST, then redirect, then GET).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use serde::Deserialize;

use super::i18n::{LANGUAGES, Tr};
use super::session::{self, ConsoleSession, NoSession};
use crate::auth::service::{self as auth, SecondFactor};
use crate::domain::{Role, StaffLanguage};
use crate::helpline::model::AttemptResult;
use crate::helpline::service::{self as helpline, Attempt, Case};
use crate::http::error::AppError;
use crate::http::error_text::accept_language;
use crate::signals::model::{Contact, Outcome};
use crate::state::AppState;

/// Largest form the console accepts.
const MAX_FORM_BYTES: usize = 8 * 1024;
/// Rows the queue shows (the oldest and most urgent first).
const QUEUE_ROWS: i64 = 200;

// ---------------------------------------------------------------------------
// Rendering

/// What every page's frame needs.
pub struct Layout {
    pub tr: Tr,
    pub title: String,
    /// Set when signed in: the forms in the header need it.
    pub csrf: Option<String>,
    pub languages: &'static [(&'static str, &'static str)],
    pub current_language: &'static str,
    /// The header links to the supervisor's page.
    pub supervisor: bool,
    /// The header links to the impact figures (admins and programme managers).
    pub impact: bool,
    /// The header links to the admin pages.
    pub admin: bool,
    /// The header links to the programme manager's pages (managers and admins).
    pub programme: bool,
}

impl Layout {
    pub(super) fn new(tr: Tr, title_key: &str, csrf: Option<&str>) -> Self {
        Self {
            title: tr.t(title_key).to_string(),
            tr,
            csrf: csrf.map(str::to_string),
            languages: &LANGUAGES,
            current_language: tr.lang(),
            supervisor: false,
            impact: false,
            admin: false,
            programme: false,
        }
    }

    /// The frame for a signed-in account of `role`.
    pub(super) fn for_role(mut self, role: Role) -> Self {
        self.supervisor = role == Role::HelplineSupervisor;
        self.impact = matches!(role, Role::Admin | Role::ProgrammeManager);
        self.admin = role == Role::Admin;
        self.programme = matches!(role, Role::ProgrammeManager | Role::Admin);
        self
    }
}

pub(super) fn render(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body),
        Err(e) => {
            tracing::error!(error = %e, "rendering a console page failed");
            HttpResponse::InternalServerError().content_type("text/plain; charset=utf-8").body("Internal error")
        }
    }
}

pub(super) fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_string())).finish()
}

#[derive(Template)]
#[template(path = "console/message.html")]
struct MessagePage {
    l: Layout,
    message: String,
    back: Option<String>,
}

pub(super) fn message(
    status: StatusCode,
    tr: Tr,
    csrf: Option<&str>,
    title_key: &str,
    message_key: &str,
) -> HttpResponse {
    let back = csrf.map(|_| "/console/".to_string());
    render(status, &MessagePage { l: Layout::new(tr, title_key, csrf), message: tr.t(message_key).to_string(), back })
}

/// An error from a service, as a page.
pub(super) fn error_page(tr: Tr, csrf: Option<&str>, e: AppError) -> HttpResponse {
    match e {
        AppError::NotFound => message(StatusCode::NOT_FOUND, tr, csrf, "error.title", "error.not_found"),
        AppError::Forbidden => message(StatusCode::FORBIDDEN, tr, csrf, "error.title", "error.forbidden"),
        AppError::Unavailable | AppError::TooManyRequests { .. } => {
            message(StatusCode::SERVICE_UNAVAILABLE, tr, csrf, "error.title", "signin.unavailable")
        }
        other => {
            tracing::error!(error = %other, "console action failed");
            message(StatusCode::INTERNAL_SERVER_ERROR, tr, csrf, "error.title", "error.internal")
        }
    }
}

/// The language before sign-in: the browser's, else English.
pub(super) fn anonymous_tr(req: &HttpRequest) -> Tr {
    Tr(accept_language(req).unwrap_or_default())
}

pub(super) fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Brussels).format("%d/%m/%Y %H:%M").to_string()
}

// ---------------------------------------------------------------------------
// Session and form checks

/// The answer a check gives instead of going on (boxed: a response is large).
pub(super) type Stop = Box<HttpResponse>;

/// The request's session, or the answer to give instead (the sign-in page, or why
/// the account cannot use the console).
pub(super) async fn signed_in(req: &HttpRequest, state: &AppState, touch: bool) -> Result<ConsoleSession, Stop> {
    signed_in_unboxed(req, state, touch).await.map_err(Box::new)
}

async fn signed_in_unboxed(req: &HttpRequest, state: &AppState, touch: bool) -> Result<ConsoleSession, HttpResponse> {
    match session::current(req, state, touch).await {
        Ok(s) => Ok(s),
        Err(NoSession::Missing) => Err(see_other(&sign_in_url(req, false))),
        Err(NoSession::TimedOut) => {
            let mut res = see_other(&sign_in_url(req, true));
            let _ = res.add_cookie(&session::removal(state));
            Err(res)
        }
        Err(NoSession::Refused(AppError::SecondFactorEnrolmentRequired)) => {
            Err(message(StatusCode::FORBIDDEN, anonymous_tr(req), None, "error.title", "signin.enrol_required"))
        }
        Err(NoSession::Refused(e)) => Err(error_page(anonymous_tr(req), None, e)),
    }
}

/// The sign-in page, coming back here afterwards (for a page; an action comes
/// back to the page it was on).
fn sign_in_url(req: &HttpRequest, timed_out: bool) -> String {
    let path = req.path();
    let back = if req.method() == actix_web::http::Method::GET && !path.ends_with("/rows") {
        path.to_string()
    } else {
        path.rsplit_once('/').map_or("/console/", |(p, _)| p).to_string()
    };
    let mut url = format!("/console/sign-in?next={}", urlencode(&back));
    if timed_out {
        url.push_str("&timed_out=1");
    }
    url
}

pub(super) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only console paths are followed after sign-in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/console/")
                && !n.contains("//")
                && !n.contains('\\')
                && n.chars().all(|c| c.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => "/console/".into(),
    }
}

/// A state-changing request must come from a console page of this origin. The
/// browser's `Sec-Fetch-Site`, which no page can forge, must say same-origin;
/// a browser that does not send it must send an `Origin` that is this server.
pub(super) fn same_origin(req: &HttpRequest, state: &AppState) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let info = req.connection_info();
            let own = format!("{}://{}", info.scheme(), info.host());
            origin == own || origin == state.settings.public_url.trim_end_matches('/')
        }
    }
}

/// Reads a urlencoded form of at most [`MAX_FORM_BYTES`].
pub(super) fn parse_form<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Option<T> {
    if body.len() > MAX_FORM_BYTES {
        return None;
    }
    serde_urlencoded::from_bytes(body).ok()
}

/// The checks every signed-in form passes: origin, then the session's CSRF token.
pub(super) fn check_form(
    req: &HttpRequest,
    state: &AppState,
    s: &ConsoleSession,
    csrf: Option<&str>,
) -> Result<(), Stop> {
    if same_origin(req, state) && csrf.is_some_and(|t| session::csrf_matches(s, t)) {
        Ok(())
    } else {
        tracing::warn!("console form refused: wrong origin or CSRF token");
        Err(Box::new(message(StatusCode::FORBIDDEN, Tr(s.language), Some(&s.csrf), "error.title", "error.csrf")))
    }
}

#[derive(Deserialize, Default)]
struct CsrfForm {
    csrf: Option<String>,
}

// ---------------------------------------------------------------------------
// Sign-in

#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage {
    l: Layout,
    email: String,
    next: String,
    /// A message beside the e-mail field (`email`), the password (`password`) or
    /// the code (`totp`), or for the whole form (`form`).
    error_field: &'static str,
    error: String,
    show_totp: bool,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    timed_out: Option<String>,
}

pub async fn sign_in_form(req: HttpRequest, q: web::Query<SignInQuery>) -> HttpResponse {
    let tr = anonymous_tr(&req);
    let notice = q.timed_out.as_ref().map(|_| tr.t("signin.timed_out").to_string());
    render(
        StatusCode::OK,
        &SignInPage {
            l: Layout::new(tr, "signin.title", None),
            email: String::new(),
            next: safe_next(q.next.as_deref()),
            error_field: "",
            error: String::new(),
            show_totp: true,
            notice,
        },
    )
}

#[derive(Deserialize, Default)]
struct SignInForm {
    email: Option<String>,
    password: Option<String>,
    totp: Option<String>,
    next: Option<String>,
}

pub async fn sign_in(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let tr = anonymous_tr(&req);
    let form: SignInForm = parse_form(&body).unwrap_or_default();
    let next = safe_next(form.next.as_deref());
    let email = form.email.unwrap_or_default().trim().to_string();
    let page = |status, field: &'static str, key: &str, email: String| {
        render(
            status,
            &SignInPage {
                l: Layout::new(tr, "signin.title", None),
                email,
                next: next.clone(),
                error_field: field,
                error: tr.t(key).to_string(),
                show_totp: true,
                notice: None,
            },
        )
    };
    if !same_origin(&req, &state) {
        return page(StatusCode::FORBIDDEN, "form", "error.csrf", email);
    }
    if email.is_empty() || email.len() > 254 {
        return page(StatusCode::UNPROCESSABLE_ENTITY, "email", "signin.required", email);
    }
    let password = form.password.unwrap_or_default();
    let totp = form.totp.map(|t| t.trim().replace(' ', "")).filter(|t| !t.is_empty());
    let trusted = state.settings.trusted_proxy_nets().unwrap_or_default();
    let client = crate::auth::routes::client_address(&req, &trusted);
    let second = SecondFactor { totp_code: totp, recovery_code: None };
    let user = match auth::authenticate(&state, &email, password, second, &client).await {
        Ok(user) => user,
        Err(AppError::Unauthorized(_)) => {
            return page(StatusCode::UNAUTHORIZED, "password", "signin.bad_credentials", email);
        }
        Err(AppError::SecondFactorRequired) => {
            return page(StatusCode::UNAUTHORIZED, "totp", "signin.second_factor", email);
        }
        Err(AppError::TooManyRequests { .. }) => {
            return page(StatusCode::TOO_MANY_REQUESTS, "form", "signin.throttled", email);
        }
        Err(AppError::Unavailable) => {
            return page(StatusCode::SERVICE_UNAVAILABLE, "form", "signin.unavailable", email);
        }
        Err(e) => return error_page(tr, None, e),
    };
    let user_tr = Tr(user.language);
    if user.role == Role::RelayStaff {
        return message(StatusCode::FORBIDDEN, user_tr, None, "error.title", "error.forbidden");
    }
    // The password was right but the role needs a second factor not enrolled yet:
    // a pending enrolment that opens the enrolment page and nothing else.
    if state.settings.totp_required_for(user.role) && !user.two_factor {
        return super::enrol::begin(&state, &user).await;
    }
    match session::open(&state, &user).await {
        Ok(token) => {
            let mut res = see_other(&next);
            let _ = res.add_cookie(&session::cookie(&state, token));
            res
        }
        Err(e) => error_page(tr, None, e),
    }
}

pub async fn sign_out(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let s = match signed_in(&req, &state, false).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let form: CsrfForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &s, form.csrf.as_deref()) {
        return *res;
    }
    if let Err(e) = session::close(&state, s.id.clone()).await {
        return error_page(Tr(s.language), None, e);
    }
    let mut res = see_other("/console/sign-in");
    let _ = res.add_cookie(&session::removal(&state));
    res
}

pub async fn sign_out_everywhere(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let s = match signed_in(&req, &state, false).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let form: CsrfForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &s, form.csrf.as_deref()) {
        return *res;
    }
    if let Err(e) = session::close_all(&state, s.auth.id).await {
        return error_page(Tr(s.language), None, e);
    }
    let mut res = see_other("/console/sign-in");
    let _ = res.add_cookie(&session::removal(&state));
    res
}

#[derive(Deserialize, Default)]
struct LanguageForm {
    csrf: Option<String>,
    language: Option<String>,
    back: Option<String>,
}

pub async fn language(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let s = match signed_in(&req, &state, true).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let form: LanguageForm = parse_form(&body).unwrap_or_default();
    if let Err(res) = check_form(&req, &state, &s, form.csrf.as_deref()) {
        return *res;
    }
    let back = safe_next(form.back.as_deref());
    let Some(language) = form.language.as_deref().and_then(|l| l.parse::<StaffLanguage>().ok()) else {
        return see_other(&back);
    };
    match session::set_language(&state, s.id, language).await {
        Ok(()) => see_other(&back),
        Err(e) => error_page(Tr(s.language), Some(&s.csrf), e),
    }
}

// ---------------------------------------------------------------------------
// Home and queue

/// `/` and `/console`: a browser is sent to the console.
pub async fn root() -> HttpResponse {
    see_other("/console/")
}

#[derive(Template)]
#[template(path = "console/home.html")]
struct HomePage {
    l: Layout,
}

/// The console's start: the queue for helpline staff.
pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let s = match signed_in(&req, &state, true).await {
        Ok(s) => s,
        Err(res) => return *res,
    };
    match s.auth.role {
        Role::HelplineOperator | Role::HelplineSupervisor => see_other("/console/queue"),
        Role::RelayStaff => {
            message(StatusCode::FORBIDDEN, Tr(s.language), Some(&s.csrf), "error.title", "error.forbidden")
        }
        Role::Admin | Role::ProgrammeManager => render(
            StatusCode::OK,
            &HomePage { l: Layout::new(Tr(s.language), "home.title", Some(&s.csrf)).for_role(s.auth.role) },
        ),
    }
}

/// Which cases the queue shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Unclaimed,
    Mine,
    Open,
    ClosedToday,
}

impl View {
    const ALL: [View; 4] = [View::Unclaimed, View::Mine, View::Open, View::ClosedToday];

    fn key(self) -> &'static str {
        match self {
            View::Unclaimed => "unclaimed",
            View::Mine => "mine",
            View::Open => "open",
            View::ClosedToday => "closed_today",
        }
    }

    fn parse(raw: Option<&str>) -> Option<View> {
        match raw {
            None | Some("") => Some(View::Open),
            Some(r) => View::ALL.into_iter().find(|v| v.key() == r),
        }
    }

    fn keeps(self, c: &Case, today_start: DateTime<Utc>) -> bool {
        match self {
            View::Unclaimed => !c.claimed,
            View::Mine => c.claimed_by_me,
            View::Open => true,
            View::ClosedToday => c.closed_at.is_some_and(|t| t >= today_start),
        }
    }
}

/// A queue row, as shown.
pub struct Row {
    pub reference: String,
    pub received: String,
    pub urgent: bool,
    pub urgency: String,
    pub language: String,
    pub municipality: String,
    pub relay_kind: String,
    pub claim: String,
    pub status: String,
    pub safe_call: String,
}

fn row(tr: Tr, c: &Case) -> Row {
    let claim = if c.claimed_by_me {
        format!(
            "{} ({} {})",
            tr.t("claim.mine"),
            tr.t("claim.until"),
            c.claim_expires_at.map(local).unwrap_or_default()
        )
    } else if c.claimed {
        format!(
            "{} ({} {})",
            tr.t("claim.colleague"),
            tr.t("claim.until"),
            c.claim_expires_at.map(local).unwrap_or_default()
        )
    } else {
        tr.t("claim.none").to_string()
    };
    Row {
        reference: c.reference.clone(),
        received: local(c.created_at),
        urgent: c.urgency == "immediate_danger",
        urgency: tr.t(&format!("urgency.{}", c.urgency)).to_string(),
        language: tr.t(&format!("lang.{}", c.language)).to_string(),
        municipality: c.municipality.clone(),
        relay_kind: tr.t(&format!("kind.{}", c.relay_kind)).to_string(),
        claim,
        status: tr.t(&format!("status.{}", serde_plain(&c.status))).to_string(),
        safe_call: safe_call(tr, c),
    }
}

/// When the person can be called safely, as the queue shows it (never the
/// contact itself: the windows are kept beside it, see docs/PRIVACY.md).
fn safe_call(tr: Tr, c: &Case) -> String {
    if c.closed_at.is_some() {
        return "—".into();
    }
    match c.next_safe_call_at {
        _ if !c.call_windows_given => tr.t("safecall.any").to_string(),
        Some(t) if t <= Utc::now() + chrono::Duration::minutes(1) => tr.t("safecall.now").to_string(),
        Some(t) => format!("{} {}", tr.t("safecall.from"), local(t)),
        None => "—".into(),
    }
}

/// The text form of a serialised unit enum (`"in_progress"`).
fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "console/queue.html")]
struct QueuePage {
    l: Layout,
    view: &'static str,
    views: Vec<(&'static str, String, bool)>,
    rows: QueueRows,
}

#[derive(Template)]
#[template(path = "console/queue_rows.html")]
struct QueueRows {
    tr: Tr,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    view: Option<String>,
}

async fn queue_rows_for(state: &AppState, s: &ConsoleSession, view: View) -> Result<QueueRows, AppError> {
    let open = view != View::ClosedToday;
    let page = helpline::queue(state, &s.auth, open, None, QUEUE_ROWS).await?;
    let today = Utc::now().with_timezone(&Brussels).date_naive();
    let today_start = today
        .and_hms_opt(0, 0, 0)
        .and_then(|t: NaiveDateTime| Brussels.from_local_datetime(&t).earliest())
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc));
    let tr = Tr(s.language);
    let rows = page.items.iter().filter(|c| view.keeps(c, today_start)).map(|c| row(tr, c)).collect();
    Ok(QueueRows { tr, rows })
}

fn helpline_staff(s: &ConsoleSession) -> Result<(), Stop> {
    match s.auth.role {
        Role::HelplineOperator | Role::HelplineSupervisor => Ok(()),
        _ => Err(Box::new(message(
            StatusCode::FORBIDDEN,
            Tr(s.language),
            Some(&s.csrf),
            "error.title",
            "error.forbidden",
        ))),
    }
}

pub async fn queue(req: HttpRequest, state: web::Data<AppState>, q: web::Query<QueueQuery>) -> HttpResponse {
    let s = match signed_in(&req, &state, true).await.and_then(|s| helpline_staff(&s).map(|_| s)) {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let Some(view) = View::parse(q.view.as_deref()) else {
        return see_other("/console/queue");
    };
    match queue_rows_for(&state, &s, view).await {
        Ok(rows) => render(
            StatusCode::OK,
            &QueuePage {
                l: Layout::new(tr, "queue.title", Some(&s.csrf)).for_role(s.auth.role),
                view: view.key(),
                views: View::ALL
                    .iter()
                    .map(|v| (v.key(), tr.t(&format!("queue.view.{}", v.key())).to_string(), *v == view))
                    .collect(),
                rows,
            },
        ),
        Err(e) => error_page(tr, Some(&s.csrf), e),
    }
}

/// The queue's rows alone, for the page's script to poll. Answers 304 when they
/// have not changed since the `ETag` the script holds; does not count as activity.
pub async fn queue_rows(req: HttpRequest, state: web::Data<AppState>, q: web::Query<QueueQuery>) -> HttpResponse {
    let s = match session::current(&req, &state, false).await {
        Ok(s) => s,
        // The script reloads the page, which then shows the sign-in.
        Err(_) => return HttpResponse::Unauthorized().content_type("text/plain; charset=utf-8").body("signed out"),
    };
    if let Err(res) = helpline_staff(&s) {
        return *res;
    }
    let view = View::parse(q.view.as_deref()).unwrap_or(View::Open);
    let rows = match queue_rows_for(&state, &s, view).await {
        Ok(rows) => rows,
        Err(e) => return error_page(Tr(s.language), Some(&s.csrf), e),
    };
    let body = match rows.render() {
        Ok(b) => b,
        Err(e) => return error_page(Tr(s.language), Some(&s.csrf), AppError::internal(e)),
    };
    let etag = format!("\"{}\"", &crate::crypto::tokens::hash_refresh_token(&body)[..32]);
    let unchanged = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str());
    if unchanged {
        return HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish();
    }
    HttpResponse::Ok().content_type("text/html; charset=utf-8").insert_header((header::ETAG, etag)).body(body)
}

// ---------------------------------------------------------------------------
// The case page

/// The revealed contact, as shown.
pub struct ContactShown {
    pub phone: String,
    pub alias: Option<String>,
    pub windows: Vec<String>,
    pub voicemail_ok: bool,
    pub note: Option<String>,
}

impl ContactShown {
    fn from(tr: Tr, c: Contact) -> Self {
        let mut windows: Vec<String> = c
            .safe_windows
            .iter()
            .map(|w| format!("{} {}–{}", tr.t(&format!("day.{}", serde_plain(&w.day))), w.start, w.end))
            .collect();
        if windows.is_empty() {
            windows.push(tr.t("contact.any_time").to_string());
        }
        Self {
            phone: c.phone.as_str().to_string(),
            alias: c.alias,
            windows,
            voicemail_ok: c.voicemail_ok,
            note: c.note,
        }
    }
}

pub struct AttemptShown {
    pub at: String,
    pub result: String,
    pub next: String,
    pub outside: bool,
}

#[derive(Template)]
#[template(path = "console/case.html")]
struct CasePage {
    l: Layout,
    c: Case,
    row: Row,
    expected_callback: String,
    training: String,
    closed: bool,
    contact: Option<ContactShown>,
    attempts: Vec<AttemptShown>,
    results: Vec<(&'static str, String)>,
    outcomes: Vec<(&'static str, String)>,
    notices: Vec<String>,
    warnings: Vec<String>,
    attempt_error: Option<String>,
    close_error: Option<String>,
    min_next: String,
    /// For supervisors: the helpline's staff to give the claim to (id, e-mail).
    reassign_to: Vec<(String, String)>,
    transfer_to: Vec<(String, String)>,
}

const RESULTS: [AttemptResult; 6] = [
    AttemptResult::NoAnswer,
    AttemptResult::Reached,
    AttemptResult::VoicemailLeft,
    AttemptResult::UnsafeToTalk,
    AttemptResult::WrongNumber,
    AttemptResult::Other,
];

const OUTCOMES: [Outcome; 8] = [
    Outcome::ReferredSupport,
    Outcome::ReferredShelter,
    Outcome::ReferredPolice,
    Outcome::InformationGiven,
    Outcome::Declined,
    Outcome::Unreachable,
    Outcome::Duplicate,
    Outcome::Other,
];

#[derive(Default)]
struct CaseExtras {
    contact: Option<Contact>,
    notices: Vec<&'static str>,
    warnings: Vec<&'static str>,
    attempt_error: Option<&'static str>,
    close_error: Option<&'static str>,
}

async fn case_page(
    state: &AppState,
    s: &ConsoleSession,
    reference: &str,
    status: StatusCode,
    x: CaseExtras,
) -> HttpResponse {
    let tr = Tr(s.language);
    let c = match helpline::get(state, &s.auth, reference).await {
        Ok(c) => c,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let attempts: Vec<Attempt> = match helpline::attempts(state, &s.auth, reference).await {
        Ok(a) => a,
        Err(e) => return error_page(tr, Some(&s.csrf), e),
    };
    let reassign_to = super::supervisor::reassign_choices(state, s).await;
    let transfer_to = super::supervisor::transfer_choices(state, s).await;
    let page = CasePage {
        reassign_to,
        transfer_to,
        l: Layout::new(tr, "case.title", Some(&s.csrf)).for_role(s.auth.role),
        row: row(tr, &c),
        expected_callback: local(c.expected_callback_at),
        training: tr.t(&format!("training.{}", c.relay_training_status)).to_string(),
        closed: c.closed_at.is_some(),
        contact: x.contact.map(|k| ContactShown::from(tr, k)),
        attempts: attempts
            .iter()
            .map(|a| AttemptShown {
                at: local(a.at),
                result: tr.t(&format!("result.{}", a.result.as_str())).to_string(),
                next: a.next_attempt_at.map(local).unwrap_or_default(),
                outside: a.outside_safe_windows,
            })
            .collect(),
        results: RESULTS.iter().map(|r| (r.as_str(), tr.t(&format!("result.{}", r.as_str())).to_string())).collect(),
        outcomes: OUTCOMES.iter().map(|o| (o.as_str(), tr.t(&format!("outcome.{}", o.as_str())).to_string())).collect(),
        notices: x.notices.iter().map(|k| tr.t(k).to_string()).collect(),
        warnings: x.warnings.iter().map(|k| tr.t(k).to_string()).collect(),
        attempt_error: x.attempt_error.map(|k| tr.t(k).to_string()),
        close_error: x.close_error.map(|k| tr.t(k).to_string()),
        min_next: Utc::now().with_timezone(&Brussels).format("%Y-%m-%dT%H:%M").to_string(),
        c,
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct CaseQuery {
    done: Option<String>,
}

pub async fn case(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    q: web::Query<CaseQuery>,
) -> HttpResponse {
    let s = match signed_in(&req, &state, true).await.and_then(|s| helpline_staff(&s).map(|_| s)) {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let mut x = CaseExtras::default();
    match q.done.as_deref() {
        Some("attempt") => x.notices.push("attempt.recorded"),
        Some("attempt_outside") => {
            x.notices.push("attempt.recorded");
            x.warnings.push("attempt.outside_windows");
        }
        Some("attempt_voicemail") => {
            x.notices.push("attempt.recorded");
            x.warnings.push("attempt.voicemail_not_allowed");
        }
        Some("closed") => x.notices.push("close.done"),
        _ => {}
    }
    case_page(&state, &s, &reference, StatusCode::OK, x).await
}

/// Signed in as helpline staff, with a valid form: the session and the form.
async fn action<T: for<'de> Deserialize<'de> + Default + HasCsrf>(
    req: &HttpRequest,
    state: &AppState,
    body: &[u8],
) -> Result<(ConsoleSession, T), Stop> {
    let s = signed_in(req, state, true).await?;
    helpline_staff(&s)?;
    let form: T = parse_form(body).unwrap_or_default();
    check_form(req, state, &s, form.csrf())?;
    Ok((s, form))
}

pub(super) trait HasCsrf {
    fn csrf(&self) -> Option<&str>;
}

impl HasCsrf for CsrfForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub(super) fn case_url(reference: &str) -> String {
    format!("/console/cases/{}", urlencode(reference))
}

/// A step that conflicts with the case's state (someone else claimed it, it
/// closed meanwhile): the case page as it is now, with its current state.
async fn after_step(
    state: &AppState,
    s: &ConsoleSession,
    reference: &str,
    result: Result<(), AppError>,
    done: &str,
) -> HttpResponse {
    match result {
        Ok(()) => see_other(&format!("{}{done}", case_url(reference))),
        Err(AppError::Conflict(_)) => case_page(state, s, reference, StatusCode::CONFLICT, CaseExtras::default()).await,
        Err(e) => error_page(Tr(s.language), Some(&s.csrf), e),
    }
}

pub async fn claim(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _) = match action::<CsrfForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let r = helpline::claim(&state, &s.auth, &reference).await.map(|_| ());
    after_step(&state, &s, &reference, r, "").await
}

pub async fn release(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _) = match action::<CsrfForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let r = helpline::release(&state, &s.auth, &reference).await.map(|_| ());
    after_step(&state, &s, &reference, r, "").await
}

pub async fn heartbeat(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _) = match action::<CsrfForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    match helpline::heartbeat(&state, &s.auth, &reference).await {
        Ok(_) => HttpResponse::NoContent().finish(),
        Err(AppError::Conflict(_)) => {
            HttpResponse::Conflict().content_type("text/plain; charset=utf-8").body("no claim")
        }
        Err(e) => error_page(Tr(s.language), Some(&s.csrf), e),
    }
}

/// Shows the contact to the claim holder (audited by the service). The answer is
/// a page that is never stored (`no-store`), so it is gone from the browser once
/// the operator leaves it.
pub async fn reveal(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, _) = match action::<CsrfForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    match helpline::reveal(&state, &s.auth, &reference).await {
        Ok(contact) => {
            let x = CaseExtras { contact: Some(contact), ..CaseExtras::default() };
            case_page(&state, &s, &reference, StatusCode::OK, x).await
        }
        Err(AppError::Conflict(_)) => {
            case_page(&state, &s, &reference, StatusCode::CONFLICT, CaseExtras::default()).await
        }
        Err(e) => error_page(Tr(s.language), Some(&s.csrf), e),
    }
}

#[derive(Deserialize, Default)]
struct AttemptForm {
    csrf: Option<String>,
    result: Option<String>,
    next_attempt: Option<String>,
}

impl HasCsrf for AttemptForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

/// A `datetime-local` value, read in Europe/Brussels.
fn parse_local(raw: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").ok()?;
    Brussels.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

pub async fn attempt(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form) = match action::<AttemptForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let invalid = |key: &'static str| CaseExtras { attempt_error: Some(key), ..CaseExtras::default() };
    let Some(result) = form.result.as_deref().and_then(|r| r.parse::<AttemptResult>().ok()) else {
        return case_page(&state, &s, &reference, StatusCode::UNPROCESSABLE_ENTITY, invalid("attempt.result_required"))
            .await;
    };
    let next = match form.next_attempt.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(raw) => match parse_local(raw).filter(|t| *t > Utc::now()) {
            Some(t) => Some(t),
            None => {
                return case_page(
                    &state,
                    &s,
                    &reference,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    invalid("attempt.next_invalid"),
                )
                .await;
            }
        },
    };
    match helpline::record_attempt(&state, &s.auth, &reference, result, next).await {
        Ok(r) => {
            let done = if r.voicemail_not_allowed {
                "?done=attempt_voicemail"
            } else if r.outside_safe_windows {
                "?done=attempt_outside"
            } else {
                "?done=attempt"
            };
            see_other(&format!("{}{done}", case_url(&reference)))
        }
        Err(e) => after_step(&state, &s, &reference, Err(e), "").await,
    }
}

#[derive(Deserialize, Default)]
struct CloseForm {
    csrf: Option<String>,
    outcome: Option<String>,
    confirm: Option<String>,
}

impl HasCsrf for CloseForm {
    fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }
}

pub async fn close(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (s, form) = match action::<CloseForm>(&req, &state, &body).await {
        Ok(v) => v,
        Err(res) => return *res,
    };
    let invalid = |key: &'static str| CaseExtras { close_error: Some(key), ..CaseExtras::default() };
    let Some(outcome) = form.outcome.as_deref().and_then(|o| o.parse::<Outcome>().ok()) else {
        return case_page(&state, &s, &reference, StatusCode::UNPROCESSABLE_ENTITY, invalid("close.outcome_required"))
            .await;
    };
    if form.confirm.as_deref() != Some("yes") {
        return case_page(&state, &s, &reference, StatusCode::UNPROCESSABLE_ENTITY, invalid("close.confirm_required"))
            .await;
    }
    let r = helpline::close(&state, &s.auth, &reference, outcome).await.map(|_| ());
    after_step(&state, &s, &reference, r, "?done=closed").await
}
