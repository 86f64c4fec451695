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

use super::error::{PROBLEM_JSON, problem_response};
use crate::startup::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let method = req.method().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let span = tracing::info_span!("request", request_id = %request_id);
    let _entered = span.enter();

    // Handlers' errors arrive here as responses already; an `Err` can only come
    // from actix's routing machinery, and is rendered by actix itself.
    let res = next.call(req).await.inspect_err(|e| {
        tracing::error!(method = %method, error = %e, "request failed before reaching a handler");
    })?;
    let mut res = ensure_problem(res.map_into_boxed_body());

    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(state) = state {
        state.metrics.observe(&method, &route, status, elapsed);
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
