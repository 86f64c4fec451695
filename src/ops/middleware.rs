//! The one middleware every request passes: it gives the request an id, logs one
//! line (route template, status, duration — no path values, no bodies), records
//! metrics, and makes sure every error response is problem+json, whatever part of
//! actix produced it.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use tracing::Instrument;

use crate::http::error::{AppError, PROBLEM_JSON, problem_response};
use crate::state::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// API responses are data, never documents: nothing may load or run from them.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";
/// The offline docs load only their own scripts and styles (Swagger UI sets inline
/// styles, and shows the logo as a data: image).
/// Console pages: only their own script and stylesheet, no inline script or style,
/// forms only to themselves; the TOTP enrolment QR code is a data: image.
const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// The relay app: its own script, stylesheet, manifest, icons and service worker,
/// and calls to the API of this origin only.
const RELAY_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_id = uuid::Uuid::new_v4().to_string();
    // The span is attached to the request's future, not entered on the thread: a
    // guard held across an await would stay entered while the worker runs other
    // requests, and their log lines would carry this request's id (and a growing
    // list of others).
    let span = tracing::info_span!("request", request_id = %request_id);
    handle(req, next, request_id).instrument(span).await
}

async fn handle(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    request_id: String,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();

    let timeout = state.as_ref().map_or(30, |s| s.settings.request_timeout_secs);
    let hsts = state.as_ref().is_some_and(|s| s.settings.hsts_enabled());
    let is_docs = req.path().starts_with("/docs");
    // Console pages answer HTML, errors included; their assets may be cached.
    let is_console = req.path() == "/console" || req.path().starts_with("/console/");
    // The relay app: a page, and files that hold no personal data.
    let is_relay = req.path() == "/relay" || req.path().starts_with("/relay/");
    let is_asset = req.path().starts_with("/console/assets/")
        || req.path().starts_with("/relay/assets/")
        || matches!(req.path(), "/relay/sw.js" | "/relay/manifest.webmanifest");
    // Handlers' errors arrive here as responses already; an `Err` can only come
    // from actix's routing machinery, and is rendered by actix itself.
    let res = match tokio::time::timeout(std::time::Duration::from_secs(timeout), next.call(req)).await {
        Ok(res) => res
            .inspect_err(|e| {
                tracing::error!(method = %method, error = %e, "request failed before reaching a handler");
            })?
            .map_into_boxed_body(),
        Err(_) => {
            // The request is gone with the cancelled future (it must not be cloned
            // before routing); actix renders this error as problem+json.
            tracing::warn!(method = %method, "request timed out");
            return Err(AppError::Unavailable.into());
        }
    };
    let mut res = if is_console { res } else { ensure_problem(res) };
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Console pages keep the referrer within the origin (a browser then sends the
    // `Origin` of their forms, which the CSRF check reads); nothing else sends one.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static(if is_console { "same-origin" } else { "no-referrer" }),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if hsts {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    let csp = if is_docs {
        DOCS_CSP
    } else if is_console {
        CONSOLE_CSP
    } else if is_relay {
        RELAY_CSP
    } else {
        API_CSP
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));

    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(state) = state {
        state.metrics.observe(&method, &route, status, elapsed);
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    if !is_asset {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    tracing::info!(method = %method, route = %route, status, duration_ms = elapsed * 1000.0, "request");
    Ok(res)
}

/// Replaces a non-problem error body (from actix itself: a path or query that
/// did not parse, a panic guard) by a problem+json body with the same status.
fn ensure_problem(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with(PROBLEM_JSON));
    if is_problem {
        return res;
    }
    let code = match status.as_u16() {
        400 => "bad_request",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        s if s >= 500 => "internal_error",
        _ => "error",
    };
    let detail = if status.is_server_error() {
        "An unexpected error occurred; it has been logged.".to_string()
    } else {
        status.canonical_reason().unwrap_or("Error").to_string()
    };
    let (req, old) = res.into_parts();
    let mut new = problem_response(status, code, detail, vec![]);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(req, new)
}
