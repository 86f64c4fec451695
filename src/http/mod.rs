//! HTTP plumbing shared by every capability: problem+json errors and the error
//! response sets of the OpenAPI document, the strict JSON and CSV body readers and
//! what CSV imports share, pagination, shared query parameters, and the fallback
//! for unmatched routes.

pub mod body;
pub mod csv;
pub mod csv_import;
pub mod error;
pub mod error_text;
pub mod fallback;
pub mod json;
pub mod pagination;
pub mod query;
pub mod responses;
