//! Operations: health and readiness probes, the metrics endpoint, and the
//! middleware that observes every request (request id, log line, metrics,
//! timeout, security headers).

pub mod middleware;
pub mod routes;
