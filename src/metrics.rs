//! Prometheus metrics. Requests are labelled by route *template*
//! (`/api/v1/users/{id}`), never the raw path, so ids never become labels.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

/// The registry and the request metrics; one per application instance.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    sealed_rows: IntGaugeVec,
    rotation_pending: IntGauge,
    /// Argon2 computations queued (sign-ins, password changes, invitations, resets).
    pub password_hashes: IntCounter,
    /// Staff alerts given up after retrying past their limit (see `outbox::staff_alerts`).
    pub alerts_dead: IntCounter,
    /// Web Push sends by outcome (`sent`, `gone`, `dead`, `retry`; see `push`).
    pub pushes: IntCounterVec,
}

impl Metrics {
    /// Start-up code: metric definitions are static and valid.
    #[allow(clippy::expect_used)]
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("saferelay".into()), None).expect("valid registry prefix");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by route template and status"),
            &["method", "route", "status"],
        )
        .expect("valid counter");
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency by route template")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0]),
            &["method", "route"],
        )
        .expect("valid histogram");
        let sealed_rows = IntGaugeVec::new(
            Opts::new("sealed_rows", "Stored sealed values by purpose and the master key that wraps them"),
            &["purpose", "key_id"],
        )
        .expect("valid gauge");
        let rotation_pending = IntGauge::new(
            "key_rotation_pending_rows",
            "Sealed values not yet under the newest master key's purpose key: rotate-keys has work to do while above 0",
        )
        .expect("valid gauge");
        registry.register(Box::new(requests.clone())).expect("register counter");
        registry.register(Box::new(latency.clone())).expect("register histogram");
        registry.register(Box::new(sealed_rows.clone())).expect("register gauge");
        registry.register(Box::new(rotation_pending.clone())).expect("register gauge");
        let password_hashes =
            IntCounter::new("password_hashes_total", "Argon2 hashes and verifications queued").expect("valid counter");
        registry.register(Box::new(password_hashes.clone())).expect("register counter");
        let alerts_dead = IntCounter::new(
            "alerts_dead_total",
            "Staff alerts (escalations, dead letters, intake alerts) given up unsent",
        )
        .expect("valid counter");
        registry.register(Box::new(alerts_dead.clone())).expect("register counter");
        let pushes = IntCounterVec::new(
            Opts::new("pushes_total", "Web Push sends to relay devices by outcome (sent, gone, dead, retry)"),
            &["outcome"],
        )
        .expect("valid counter");
        registry.register(Box::new(pushes.clone())).expect("register counter");
        Self { registry, requests, latency, sealed_rows, rotation_pending, password_hashes, alerts_dead, pushes }
    }

    /// Replaces the key-usage gauges: `(purpose, key id, rows)` and the rows still
    /// waiting for `rotate-keys`. Key ids are few and name no one.
    pub fn set_key_usage(&self, rows: &[(&str, &str, i64)], pending: i64) {
        self.sealed_rows.reset();
        for (purpose, key_id, n) in rows {
            self.sealed_rows.with_label_values(&[*purpose, *key_id]).set(*n);
        }
        self.rotation_pending.set(pending);
    }

    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let method = method_label(method);
        self.requests.with_label_values(&[method, route, &status.to_string()]).inc();
        self.latency.with_label_values(&[method, route]).observe(seconds);
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The method label takes a fixed set of values, so that requests with made-up
/// methods cannot grow the series without bound.
fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    KNOWN.into_iter().find(|m| *m == method).unwrap_or("OTHER")
}
