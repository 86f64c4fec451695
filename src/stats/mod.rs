//! Anonymised statistics for programme managers and admins: coverage of relay
//! points, and monthly signal figures from live signals and rollups alike, with
//! small-cell suppression (`model::suppress`) and a fixed granularity (one
//! programme × one final month × one breakdown) so that no query can be
//! differenced against another.

pub mod model;
pub mod report;
pub mod rollup;
pub mod routes;
pub mod service;
pub mod store;

pub use routes::configure;
