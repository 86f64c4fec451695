//! Bounded free text, safe to export to a spreadsheet.

use super::FieldError;

/// Free text with a length bound. Leading `=`, `+`, `-`, `@` are refused so that
/// an exported CSV opened in a spreadsheet cannot run a formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    pub fn parse(field: &str, raw: &str, max: usize) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::new(field, "must not be empty"));
        }
        if s.chars().count() > max {
            return Err(FieldError::new(field, format!("must be at most {max} characters")));
        }
        if s.starts_with(['=', '+', '-', '@']) || s.chars().any(|c| c.is_control()) {
            return Err(FieldError::new(field, "must not start with = + - @ or contain control characters"));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
