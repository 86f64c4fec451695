//! Operations: health and readiness probes, Prometheus metrics.

pub mod metrics;
pub mod routes;
