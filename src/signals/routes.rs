//! Relay endpoints: file a signal, follow its status.

use crate::domain::Language;
use crate::domain::Role;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Contact, SafeWindow, SignalStatus, Urgency};
use super::relay_view::{self, RelaySignalView};
use super::service::{self, Receipt, Submission};
use crate::http::error::{AppError, FieldError, Guided, Localised};
use crate::http::error_text::accept_language;
use crate::http::json::StrictJson;
use crate::http::pagination::{Page, PageQuery};
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors, NotFound, TooManyRequests, Unavailable, Unprocessable};
use crate::state::AppState;
use crate::users::caller::{AuthUser, Claims, in_callers_language};

/// Body of `POST /api/v1/signals`. Only what the callback needs: no name, no
/// address, no story.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitSignalRequest {
    /// Callback number; Belgian numbers may omit +32. Stored encrypted only.
    pub phone: String,
    /// A first name or alias the helpline may ask for (max 40 characters).
    pub alias: Option<String>,
    /// Language for the callback.
    pub language: Language,
    /// When calling is safe (Europe/Brussels). Empty: no restriction was given.
    pub safe_windows: Vec<SafeWindow>,
    /// Whether leaving a voicemail is safe.
    pub voicemail_ok: bool,
    pub urgency: Urgency,
    /// The person agreed to be called back. Must be `true`.
    pub consent: bool,
    /// Short note for the helpline (max 500 characters).
    pub note: Option<String>,
}

impl TryFrom<SubmitSignalRequest> for Submission {
    type Error = AppError;
    fn try_from(r: SubmitSignalRequest) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        if !r.consent {
            errors.push(FieldError::new("consent", "the person must agree to be called back (consent: true)"));
        }
        let contact = Contact::parse(&r.phone, r.alias.as_deref(), r.safe_windows, r.voicemail_ok, r.note.as_deref())
            .map_err(|e| errors.extend(e))
            .ok();
        match contact {
            Some(contact) if errors.is_empty() => Ok(Submission { contact, language: r.language, urgency: r.urgency }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

fn idempotency_key(req: &HttpRequest) -> Result<String, AppError> {
    let field = |m: &str| AppError::BadRequest {
        code: "idempotency_key_required",
        detail: format!(
            "The Idempotency-Key header {m}; send a new random key (e.g. a UUID) per signal and reuse it on retries."
        ),
        errors: vec![FieldError::new("Idempotency-Key", m)],
    };
    let v = req.headers().get("idempotency-key").ok_or_else(|| field("is required"))?;
    let v = v.to_str().map_err(|_| field("must be printable ASCII"))?.trim().trim_matches('"');
    if v.is_empty() || v.len() > 200 || !v.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(field("must be 1 to 200 printable characters"));
    }
    Ok(v.to_string())
}

/// What intake checks before it touches the database: role, key, body.
fn check_request(
    req: &HttpRequest,
    state: &AppState,
    claims: &Claims,
    body: Result<SubmitSignalRequest, AppError>,
) -> Result<(String, service::Fingerprint, Submission), AppError> {
    if claims.role != Role::RelayStaff {
        return Err(AppError::Forbidden);
    }
    let key = idempotency_key(req)?;
    let request = body?;
    let canonical =
        zeroize::Zeroizing::new(serde_json::to_vec(&request).map_err(|e| AppError::internal(e.to_string()))?);
    let mac = service::fingerprint(state, &canonical)?;
    Ok((key, mac, Submission::try_from(request)?))
}

/// File a Mask-19 signal (relay staff). Retries with the same `Idempotency-Key`
/// and body return the first response; the response never echoes the contact.
/// Immediate danger is never refused by the hourly limit. Every error answer
/// carries `guidance`: whom to call now (112 first in immediate danger, else the
/// helpline that would have taken the signal), in the relay's language
/// (`Accept-Language`, else the account's).
#[utoipa::path(
    tag = "signals",
    request_body = SubmitSignalRequest,
    params(("Idempotency-Key" = String, Header, description = "A new random key per signal, reused on retries (24 h)")),
    responses(
        (status = 201, body = Receipt, headers(("Location" = String))),
        BodyErrors, AuthErrors, TooManyRequests, Unavailable,
    ),
    security(("bearer" = []))
)]
#[post("/signals")]
pub async fn submit_signal(
    req: HttpRequest,
    state: web::Data<AppState>,
    claims: Result<Claims, AppError>,
    body: StrictJson<SubmitSignalRequest>,
) -> Result<HttpResponse, Guided> {
    let body = body.into_inner();
    let (language, urgency) = body.as_ref().map_or((None, None), |b| (Some(b.language), Some(b.urgency)));
    let known = claims.as_ref().ok().cloned();
    match file(&req, &state, claims, body).await {
        Ok(filed) => Ok(filed),
        Err(refused) => {
            let accept = accept_language(&req);
            let (guidance, language) =
                super::guidance::guidance_for(&state, known.as_ref(), language, urgency, accept).await;
            Err(Guided(refused, guidance, language))
        }
    }
}

async fn file(
    req: &HttpRequest,
    state: &AppState,
    claims: Result<Claims, AppError>,
    body: Result<SubmitSignalRequest, AppError>,
) -> Result<HttpResponse, AppError> {
    let claims = claims?;
    // The account behind the token is re-read inside `service::submit`, in the same
    // trip to the database as the rest of intake. A request refused before that
    // still has the account checked first, so a revoked account gets 401 whatever
    // else is wrong with its request, as on every other endpoint.
    let checked = check_request(req, state, &claims, body);
    let (key, mac, submission) = match checked {
        Ok(checked) => checked,
        Err(refused) => {
            claims.confirm(state).await?;
            return Err(refused);
        }
    };
    let (status, json) = service::submit(state, &claims, key, mac, submission).await?;
    let reference =
        serde_json::from_str::<serde_json::Value>(&json).ok().and_then(|v| v["reference"].as_str().map(String::from));
    let mut resp = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED))
        .content_type("application/json")
        .body(json);
    if let Some(r) = reference.and_then(|r| HeaderValue::from_str(&format!("/api/v1/signals/{r}")).ok()) {
        resp.headers_mut().insert(header::LOCATION, r);
    }
    Ok(resp)
}

/// Filters of `GET /api/v1/signals`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SignalFilter {
    pub status: Option<SignalStatus>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The caller's relay point's signals, newest first: status only.
#[utoipa::path(tag = "signals", params(SignalFilter), responses(
    (status = 200, body = Page<RelaySignalView>),
    AuthErrors, BadQuery, Unprocessable,
), security(("bearer" = [])))]
#[get("/signals")]
pub async fn list_signals(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<AuthUser, AppError>,
    filter: web::Query<SignalFilter>,
) -> Result<web::Json<Page<RelaySignalView>>, Localised> {
    in_callers_language(&req, auth, |auth| list_own(state, auth, filter)).await
}

async fn list_own(
    state: web::Data<AppState>,
    auth: AuthUser,
    filter: web::Query<SignalFilter>,
) -> Result<web::Json<Page<RelaySignalView>>, AppError> {
    let f = filter.into_inner();
    let page = PageQuery { limit: f.limit, cursor: f.cursor };
    Ok(web::Json(relay_view::list(&state, &auth, f.status, page.after()?, page.limit()?).await?))
}

/// One signal of the caller's relay point, by reference: status only.
#[utoipa::path(tag = "signals", params(("reference" = String, Path, description = "e.g. K7Q-2XPA")), responses(
    (status = 200, body = RelaySignalView),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[get("/signals/{reference}")]
pub async fn get_signal(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<AuthUser, AppError>,
    reference: web::Path<String>,
) -> Result<web::Json<RelaySignalView>, Localised> {
    in_callers_language(
        &req,
        auth,
        |auth| async move { Ok(web::Json(relay_view::get(&state, &auth, &reference).await?)) },
    )
    .await
}

/// Withdraw a signal of the caller's relay point before a helpline takes it (wrong
/// number typed, the person changed their mind; to correct one, withdraw it and
/// file again). The contact is destroyed at once, deliveries not yet made are
/// cancelled and the helpline's queue drops it; the signal then shows as
/// `withdrawn`. Withdrawing again answers the same. Refused with 409
/// `signal_taken` once a helpline claimed it or tried to call, and 409
/// `signal_closed` when it is already closed; errors are in the relay's language.
#[utoipa::path(tag = "signals", params(("reference" = String, Path, description = "e.g. K7Q-2XPA")), responses(
    (status = 200, body = RelaySignalView),
    AuthErrors, NotFound,
    (status = 409, body = crate::http::error::Problem, content_type = "application/problem+json",
        description = "`signal_taken`: a helpline claimed it or tried to call; `signal_closed`: it is already closed"),
), security(("bearer" = [])))]
#[post("/signals/{reference}/withdraw")]
pub async fn withdraw_signal(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<AuthUser, AppError>,
    reference: web::Path<String>,
) -> Result<web::Json<RelaySignalView>, Localised> {
    in_callers_language(&req, auth, |auth| async move {
        Ok(web::Json(relay_view::withdraw(&state, &auth, &reference).await?))
    })
    .await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit_signal)
        .service(list_signals)
        .service(get_signal)
        .service(withdraw_signal)
        .service(super::simulate::simulate_route);
}
