//! Which error type to use where:
//! - domain parsing (`Email::parse`, `Role::parse`) returns a `FieldError`;
//! - stores return `diesel::QueryResult` (through `Db`, a `DbError`);
//! - services and handlers return `AppError`, which `From` converts the others into
//!   and which renders as RFC 9457 `application/problem+json`.
//!
//! Out-of-scope resources are `NotFound`, never `Forbidden`, so that existence is not
//! revealed. Unexpected failures become an opaque 500 whose cause is only logged.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use super::error_text;
use crate::db::DbError;
use crate::domain::StaffLanguage;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

pub use crate::domain::FieldError;

/// The error every service and handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("malformed request")]
    BadRequest { code: &'static str, detail: String, errors: Vec<FieldError> },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("authentication required")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    /// Refused for a reason the caller must read (403 with its own code and detail).
    #[error("refused: {code}")]
    Refused { code: &'static str, detail: String },
    /// The password was right; the account's second factor is missing or wrong.
    #[error("second factor required")]
    SecondFactorRequired,
    /// Policy requires a second factor and the account has not enrolled one yet.
    #[error("second factor enrolment required")]
    SecondFactorEnrolmentRequired,
    #[error("not found")]
    NotFound,
    /// No route has this path (the fallback service).
    #[error("no such route")]
    NoRoute,
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("conflict")]
    Conflict(String),
    /// A conflict with the resource's state the caller must read (409 with its own
    /// code and detail).
    #[error("conflict: {code}")]
    StateConflict { code: &'static str, detail: String },
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType { expected: &'static str },
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 422 naming a single field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn internal(msg: impl std::fmt::Display) -> Self {
        Self::Internal(anyhow::anyhow!("{msg}"))
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. } => code,
            Self::Validation(_) => "validation_failed",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::Refused { code, .. } => code,
            Self::SecondFactorRequired => "second_factor_required",
            Self::SecondFactorEnrolmentRequired => "second_factor_enrolment_required",
            Self::NotFound => "not_found",
            Self::NoRoute => "route_not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::Conflict(_) => "conflict",
            Self::StateConflict { code, .. } => code,
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType { .. } => "unsupported_media_type",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Unavailable => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::BadRequest { detail, .. } => detail.clone(),
            Self::Validation(_) => "The request has invalid fields; see `errors`.".into(),
            Self::Unauthorized(why) => (*why).into(),
            Self::Forbidden => "Your role does not allow this action.".into(),
            Self::Refused { detail, .. } => detail.clone(),
            Self::SecondFactorRequired => {
                "Send the current code of your authenticator app as `totp_code` (or a `recovery_code`).".into()
            }
            Self::SecondFactorEnrolmentRequired => {
                "Your role requires two-factor sign-in: enrol with POST /api/v1/me/totp first.".into()
            }
            Self::NotFound => "No such resource.".into(),
            Self::NoRoute => "No endpoint has this path; see /docs.".into(),
            Self::MethodNotAllowed { allow } => format!("This resource supports: {allow}."),
            Self::Conflict(detail) => detail.clone(),
            Self::StateConflict { detail, .. } => detail.clone(),
            Self::PayloadTooLarge { limit } => format!("The request body exceeds {limit} bytes."),
            Self::UnsupportedMediaType { expected } => format!("Send the body as {expected}."),
            Self::TooManyRequests { retry_after_secs } => {
                format!("Too many requests; retry in {retry_after_secs} seconds.")
            }
            Self::Unavailable => "The database is unreachable; retry shortly.".into(),
            Self::Internal(_) => "An unexpected error occurred; it has been logged.".into(),
        }
    }
}

/// A number to call now.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct CallNumber {
    pub name: String,
    pub number: String,
}

/// What to do now when a signal could not be filed (intake errors only).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Guidance {
    /// In the relay's language: call 112 first in immediate danger, else the
    /// helpline that would have taken the signal.
    pub what_to_do: String,
    /// The numbers to call, most urgent first.
    pub call: Vec<CallNumber>,
}

/// An error answered together with guidance: same status, headers and body, plus
/// `guidance`, with title and detail in the relay's language.
#[derive(Debug)]
pub struct Guided(pub AppError, pub Guidance, pub StaffLanguage);

impl std::fmt::Display for Guided {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for Guided {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.respond(Some(self.1.clone()), self.2)
    }
}

/// An error answered with its title and detail in the caller's language (the
/// endpoints relay staff call).
#[derive(Debug)]
pub struct Localised(pub AppError, pub StaffLanguage);

impl std::fmt::Display for Localised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for Localised {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.respond(None, self.1)
    }
}

/// RFC 9457 problem details, with SafeRelay's stable `code` and field list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable URI reference naming the kind of problem (`/problems/<code>`).
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub code: String,
    /// Field-level errors (validation and malformed requests).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldError>,
    /// On the errors of `POST /api/v1/signals`: what the relay must do now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub guidance: Option<Guidance>,
}

/// Seconds a client should wait before retrying when the database is down.
const UNAVAILABLE_RETRY_SECS: u64 = 5;

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Refused { .. } | Self::SecondFactorEnrolmentRequired => StatusCode::FORBIDDEN,
            Self::SecondFactorRequired => StatusCode::UNAUTHORIZED,
            Self::NotFound | Self::NoRoute => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) | Self::StateConflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.respond(None, StaffLanguage::En)
    }
}

impl AppError {
    /// The problem+json response in `language`, with `guidance` when given.
    fn respond(&self, guidance: Option<Guidance>, language: StaffLanguage) -> HttpResponse {
        let status = self.status_code();
        if let Self::Internal(cause) = self {
            // The cause may hold query text; it goes to the log only, never to the client.
            tracing::error!(error = %cause, "internal error");
        }
        let errors = match self {
            Self::Validation(errors) | Self::BadRequest { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        let retry = match self {
            Self::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let detail = error_text::detail(self.code(), language, retry).unwrap_or_else(|| self.detail());
        let title = error_text::title(status, language);
        let mut resp = problem_with(status, self.code(), title, detail, errors, guidance);
        let headers = resp.headers_mut();
        match self {
            Self::Unauthorized(_) | Self::SecondFactorRequired => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            Self::MethodNotAllowed { allow } => {
                if let Ok(v) = HeaderValue::from_str(allow) {
                    headers.insert(header::ALLOW, v);
                }
            }
            Self::TooManyRequests { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            Self::Unavailable => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(UNAVAILABLE_RETRY_SECS));
            }
            _ => {}
        }
        resp
    }
}

/// Builds a problem+json response; also used by the fallback error middleware.
pub fn problem_response(status: StatusCode, code: &str, detail: String, errors: Vec<FieldError>) -> HttpResponse {
    problem_with(status, code, None, detail, errors, None)
}

fn problem_with(
    status: StatusCode,
    code: &str,
    title: Option<&str>,
    detail: String,
    errors: Vec<FieldError>,
    guidance: Option<Guidance>,
) -> HttpResponse {
    let body = Problem {
        problem_type: format!("/problems/{}", code.replace('_', "-")),
        title: title.or(status.canonical_reason()).unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail,
        code: code.to_string(),
        errors,
        guidance,
    };
    HttpResponse::build(status).content_type(PROBLEM_JSON).json(body)
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                Self::Unavailable
            }
            DbError::Query(q) => q.into(),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Self::Conflict("A resource with the same unique value already exists.".into())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => Self::Unavailable,
            // Lock timeouts on SQLite and serialisation failures on PostgreSQL are
            // transient: tell the client to retry rather than blame it.
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => Self::Unavailable,
            Error::DatabaseError(_, ref info) if is_transient(info.message()) => Self::Unavailable,
            other => Self::Internal(other.into()),
        }
    }
}

fn is_transient(message: &str) -> bool {
    message.contains("database is locked")
        || message.contains("terminating connection")
        || message.contains("server closed the connection")
        || message.contains("connection to server")
}
