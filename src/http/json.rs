//! `StrictJson<T>`: the JSON body extractor every endpoint uses. Compared with
//! `web::Json` it reports *which* field is wrong, tells malformed JSON and unknown
//! fields (400) apart from wrong types and missing fields (422), and answers 413 and
//! 415 as problem+json.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::body::{BodyKind, PendingBody};
use super::error::{AppError, FieldError};

/// Largest accepted request body, in bytes (set from `Settings::max_body_bytes`).
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON request body, parsed strictly into `T`. Parsing errors are held until
/// the handler asks for the value (`into_inner`), so a handler checks the caller's
/// role first: a role that may not call an endpoint gets 403, whatever it sent.
pub struct StrictJson<T>(Result<T, AppError>);

impl<T> StrictJson<T> {
    pub fn into_inner(self) -> Result<T, AppError> {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for StrictJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<BodyLimit>().map_or(64 * 1024, |l| l.0);
        let kind = BodyKind { accepts: is_json, expected: "application/json", unreadable_code: "malformed_body" };
        let body = PendingBody::take(req, payload, kind, limit);
        Box::pin(async move { Ok(StrictJson(body.read().await.and_then(|body| parse(&body)))) })
    }
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses a body, classifying failures into 400 (syntax, unknown field) and 422.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(classify)?;
    de.end().map_err(|_| malformed("Unexpected data after the JSON value."))?;
    Ok(value)
}

fn malformed(detail: &str) -> AppError {
    AppError::BadRequest { code: "malformed_json", detail: detail.into(), errors: vec![] }
}

fn classify(err: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    use serde_json::error::Category;
    let path = err.path().to_string();
    let inner = err.inner();
    match inner.classify() {
        Category::Eof if inner.line() == 1 && inner.column() == 0 => {
            malformed("The request body is empty; a JSON object is required.")
        }
        Category::Syntax | Category::Eof | Category::Io => malformed("The request body is not valid JSON."),
        Category::Data => {
            let message = strip_position(&inner.to_string());
            if let Some(name) = message.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
                // Here the path already ends with the unknown key.
                let field = if path == "." { name.to_string() } else { path };
                AppError::BadRequest {
                    code: "unknown_field",
                    detail: format!("Unknown field `{field}`."),
                    errors: vec![FieldError::new(field, "unknown field")],
                }
            } else if let Some(name) = message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
                AppError::invalid(join_path(&path, name), "is required")
            } else {
                let field = if path == "." { "body".to_string() } else { path };
                AppError::invalid(field, message)
            }
        }
    }
}

/// For a missing field serde_path_to_error reports the path of the object that
/// should hold it; the field itself is named in the message.
fn join_path(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() { name.to_string() } else { format!("{path}.{name}") }
}

/// serde_json appends " at line L column C"; clients need only the message.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        count: u32,
    }

    fn field_errors(e: AppError) -> (u16, Vec<FieldError>) {
        use actix_web::ResponseError;
        let status = e.status_code().as_u16();
        match e {
            AppError::Validation(v) | AppError::BadRequest { errors: v, .. } => (status, v),
            _ => (status, vec![]),
        }
    }

    #[test]
    fn unknown_field_is_400_and_named() {
        let e = parse::<Body>(br#"{"name":"a","count":1,"extra":2}"#).unwrap_err();
        assert_eq!(field_errors(e), (400, vec![FieldError::new("extra", "unknown field")]));
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Body,
    }

    #[test]
    fn nested_unknown_and_missing_fields_are_named_by_path() {
        let e = parse::<Outer>(br#"{"inner":{"name":"a","count":1,"x":1}}"#).unwrap_err();
        assert_eq!(field_errors(e), (400, vec![FieldError::new("inner.x", "unknown field")]));
        let e = parse::<Outer>(br#"{"inner":{"name":"a"}}"#).unwrap_err();
        assert_eq!(field_errors(e), (422, vec![FieldError::new("inner.count", "is required")]));
    }

    #[test]
    fn wrong_type_is_422_with_path() {
        let e = parse::<Body>(br#"{"name":"a","count":"x"}"#).unwrap_err();
        let (status, errors) = field_errors(e);
        assert_eq!(status, 422);
        assert_eq!(errors[0].field, "count");
        assert!(!errors[0].message.contains("line"));
    }

    #[test]
    fn missing_field_is_422() {
        let e = parse::<Body>(br#"{"name":"a"}"#).unwrap_err();
        assert_eq!(field_errors(e), (422, vec![FieldError::new("count", "is required")]));
    }

    #[test]
    fn syntax_and_trailing_data_are_400() {
        assert_eq!(field_errors(parse::<Body>(br#"{"name":"#).unwrap_err()).0, 400);
        assert_eq!(field_errors(parse::<Body>(br#"{"name":"a","count":1} x"#).unwrap_err()).0, 400);
        assert_eq!(field_errors(parse::<Body>(b"").unwrap_err()).0, 400);
    }
}
