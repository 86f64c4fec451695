//! The webhook channel: the signal, with its contact, as JSON to the helpline's own
//! case system, signed with HMAC-SHA256 over timestamp and body.

use serde::Serialize;

use super::model::{Attempt, sign};
use crate::signals::model::Contact;

/// The signal as a webhook receiver gets it.
#[derive(Serialize)]
pub struct Payload<'a> {
    /// Stable across retries of one delivery: receivers use it to de-duplicate.
    pub delivery_id: &'a str,
    pub event: &'a str,
    pub reference: &'a str,
    pub urgency: &'a str,
    pub language: &'a str,
    pub region: &'a str,
    pub municipality: &'a str,
    pub relay_kind: &'a str,
    pub relay_training_status: &'a str,
    pub helpline_code: &'a str,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expected_callback_at: chrono::DateTime<chrono::Utc>,
    /// Absent when the contact was already destroyed.
    pub contact: Option<&'a Contact>,
}

/// Posts the payload; the receiver acknowledges with any 2xx (a 3xx is not followed:
/// the delivery failed for good).
pub async fn send(client: &reqwest::Client, url: &str, secret: &str, payload: &Payload<'_>) -> Attempt {
    let body = match serde_json::to_vec(payload) {
        Ok(b) => zeroize::Zeroizing::new(b),
        Err(_) => return Attempt::Permanent("payload does not serialise".into()),
    };
    let timestamp = chrono::Utc::now().timestamp();
    let result = client
        .post(url)
        .header("content-type", "application/json")
        .header("x-saferelay-delivery", payload.delivery_id)
        .header("x-saferelay-event", payload.event)
        .header("x-saferelay-timestamp", timestamp.to_string())
        .header("x-saferelay-signature", sign(secret.as_bytes(), timestamp, &body))
        .body(body.to_vec())
        .send()
        .await;
    match result {
        Ok(resp) => Attempt::from_status(resp.status().as_u16()),
        // reqwest's error text can contain the URL but never the body.
        Err(e) if crate::net::is_refused_address(&e) => {
            Attempt::Permanent("webhook host resolves to a refused address".into())
        }
        Err(e) if e.is_timeout() => Attempt::Retry("timeout".into()),
        Err(e) if e.is_connect() => Attempt::Retry("connection failed".into()),
        Err(e) if e.is_builder() => Attempt::Permanent("invalid webhook URL".into()),
        Err(_) => Attempt::Retry("request failed".into()),
    }
}
