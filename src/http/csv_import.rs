//! What every CSV import shares: the header check, the error of one row (as a
//! spreadsheet numbers it), the report of a run or dry run, and the 422 of a real
//! run over a file with errors.

use std::collections::HashMap;

use serde::Serialize;

use super::error::{AppError, FieldError};

/// One problem with one row (or the header, row 1) of an uploaded file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct RowError {
    /// Line number in the file as a spreadsheet shows it: the header is row 1.
    pub row: u64,
    /// Column name, or `row` when the row as a whole is wrong.
    pub field: String,
    pub message: String,
}

impl RowError {
    pub fn new(row: u64, e: FieldError) -> Self {
        Self { row, field: e.field, message: e.message }
    }
}

/// Maps column names to positions and checks the header against the format.
pub struct Header(HashMap<String, usize>);

impl Header {
    pub fn parse(
        record: &csv::StringRecord,
        required: &[&str],
        optional: &[&str],
        ignored: &[&str],
    ) -> Result<Self, Vec<RowError>> {
        let mut map = HashMap::new();
        let mut errors = Vec::new();
        for (i, name) in record.iter().enumerate() {
            let name = name.trim().to_ascii_lowercase();
            if !(required.contains(&name.as_str())
                || optional.contains(&name.as_str())
                || ignored.contains(&name.as_str()))
            {
                errors.push(RowError::new(1, FieldError::new(name.clone(), "unknown column")));
            } else if map.insert(name.clone(), i).is_some() {
                errors.push(RowError::new(1, FieldError::new(name, "column appears twice")));
            }
        }
        for name in required {
            if !map.contains_key(*name) {
                errors.push(RowError::new(1, FieldError::new(*name, "required column is missing")));
            }
        }
        if errors.is_empty() { Ok(Self(map)) } else { Err(errors) }
    }

    /// The trimmed cell of `column` (empty when the column is absent).
    pub fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.0.get(column).and_then(|i| record.get(*i)).map_or("", str::trim)
    }
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Every problem found; a real run with any error writes nothing.
    pub errors: Vec<RowError>,
}

/// The 422 of a real run over a file with errors.
pub fn rows_invalid(errors: Vec<RowError>) -> AppError {
    AppError::Validation(
        errors.into_iter().map(|e| FieldError::new(format!("rows[{}].{}", e.row, e.field), e.message)).collect(),
    )
}
