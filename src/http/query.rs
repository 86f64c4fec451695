//! Query parameters several capabilities share.

use chrono::NaiveDate;
use serde::Deserialize;

/// `?dry_run=` of CSV imports.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Validate and report only; write nothing (default `false`).
    pub dry_run: Option<bool>,
}

/// `?as_of=` on single reads.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// Date the training status is computed for (default today, UTC).
    pub as_of: Option<NaiveDate>,
}
