//! What parsing a request into domain values reports: the field and what is wrong
//! with it (rendered in the `errors` list of a problem+json answer).

use serde::Serialize;

/// One thing wrong with one field of the request.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON path of the field (`email`, `windows[0].start`), or `body`.
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}
