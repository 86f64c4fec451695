//! HTTP plumbing shared by every capability: problem+json errors, the strict JSON
//! extractor, the auth extractor, pagination, the fallback for unmatched routes and
//! the observing middleware.

pub mod auth;
pub mod body;
pub mod csv;
pub mod error;
pub mod fallback;
pub mod json;
pub mod middleware;
pub mod pagination;
pub mod responses;
