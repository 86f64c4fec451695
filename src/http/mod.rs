//! HTTP plumbing shared by every capability: problem+json errors, the strict JSON
//! and CSV body readers, pagination, the fallback for unmatched routes and
//! the observing middleware.

pub mod body;
pub mod csv;
pub mod csv_import;
pub mod error;
pub mod fallback;
pub mod json;
pub mod middleware;
pub mod pagination;
pub mod query;
pub mod responses;
