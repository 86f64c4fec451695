//! Deliveries and their rules: exponential backoff with jitter, which failures are
//! worth a retry, and the webhook signature.

use std::time::Duration;

use chrono::NaiveDateTime;
use hmac::{Hmac, Mac};
use rand::Rng;

use crate::domain::{HelplineId, SignalId};

/// One delivery of a signal to one channel of a helpline (an `outbox` row).
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Stable across retries: receivers de-duplicate on it.
    pub id: String,
    pub signal_id: SignalId,
    pub helpline_id: HelplineId,
    /// `email` or `webhook`.
    pub channel: String,
    pub event: String,
    /// Attempts made so far.
    pub attempts: i32,
    pub created_at: NaiveDateTime,
}

/// First retry after about a second, doubling, never more than ten minutes apart.
const BASE: Duration = Duration::from_secs(1);
const CAP: Duration = Duration::from_secs(600);

/// Delay before attempt number `attempts + 1`: `min(cap, base·2^attempts)`, then a
/// random 50–100 % of that, so that many failed deliveries do not retry in lockstep.
pub fn backoff(attempts: u32) -> Duration {
    let exp = BASE.saturating_mul(2u32.saturating_pow(attempts.min(20)));
    let ceiling = exp.min(CAP);
    let fraction = rand::rng().random_range(0.5..=1.0);
    ceiling.mul_f64(fraction)
}

/// How one delivery attempt ended. Details hold codes only, never personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Delivered,
    /// Worth trying again (timeouts, 5xx, 408, 429, connection failures).
    Retry(String),
    /// Will not succeed by retrying (other 4xx, misconfiguration).
    Permanent(String),
}

impl Attempt {
    /// Classifies an HTTP status from a webhook receiver.
    pub fn from_status(status: u16) -> Self {
        match status {
            200..=299 => Attempt::Delivered,
            408 | 429 | 500..=599 => Attempt::Retry(format!("HTTP {status}")),
            _ => Attempt::Permanent(format!("HTTP {status}")),
        }
    }

    /// Classifies a failed request (reqwest's error text can contain the URL but
    /// never the body; only a code is kept).
    pub fn from_error(e: &reqwest::Error) -> Self {
        if crate::net::is_refused_address(e) {
            Attempt::Permanent("webhook host resolves to a refused address".into())
        } else if e.is_timeout() {
            Attempt::Retry("timeout".into())
        } else if e.is_connect() {
            Attempt::Retry("connection failed".into())
        } else if e.is_builder() {
            Attempt::Permanent("invalid webhook URL".into())
        } else {
            Attempt::Retry("request failed".into())
        }
    }

    pub fn outcome(&self) -> &'static str {
        match self {
            Attempt::Delivered => "delivered",
            Attempt::Retry(_) => "retry",
            Attempt::Permanent(_) => "failed",
        }
    }
}

/// `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, sent as
/// `X-SafeRelay-Signature` with `X-SafeRelay-Timestamp: <timestamp>`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    // An HMAC key may have any length, so new_from_slice cannot fail here.
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("v1={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for attempts in 0..30 {
            let d = backoff(attempts);
            let ceiling = Duration::from_secs(1 << attempts.min(20)).min(CAP);
            assert!(d <= ceiling && d >= ceiling / 2, "attempt {attempts}: {d:?}");
        }
        assert!(backoff(40) <= CAP);
    }

    #[test]
    fn receiver_statuses_are_classified() {
        assert_eq!(Attempt::from_status(204), Attempt::Delivered);
        for s in [408, 429, 500, 503] {
            assert!(matches!(Attempt::from_status(s), Attempt::Retry(_)), "{s}");
        }
        for s in [400, 401, 404, 410] {
            assert!(matches!(Attempt::from_status(s), Attempt::Permanent(_)), "{s}");
        }
    }

    #[test]
    fn signature_matches_a_known_vector() {
        // HMAC-SHA256("key", "1700000000.{}") computed independently (python hmac module).
        assert_eq!(
            sign(b"key", 1_700_000_000, b"{}"),
            format!("v1={}", "9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae")
        );
    }
}
