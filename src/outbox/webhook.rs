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
    match post_signed(client, url, secret, payload.delivery_id, payload.event, &body).await {
        Ok(resp) => Attempt::from_status(resp.status().as_u16()),
        Err(e) => Attempt::from_error(&e),
    }
}

/// Posts `body` signed as every delivery is: HMAC-SHA256 over timestamp and body.
async fn post_signed(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    delivery_id: &str,
    event: &str,
    body: &[u8],
) -> reqwest::Result<reqwest::Response> {
    let timestamp = chrono::Utc::now().timestamp();
    client
        .post(url)
        .header("content-type", "application/json")
        .header("x-saferelay-delivery", delivery_id)
        .header("x-saferelay-event", event)
        .header("x-saferelay-timestamp", timestamp.to_string())
        .header("x-saferelay-signature", sign(secret.as_bytes(), timestamp, body))
        .body(body.to_vec())
        .send()
        .await
}

/// The event of a test delivery (`X-SafeRelay-Event: test`).
pub const TEST_EVENT: &str = "test";

/// What a test delivery carries: no signal, no contact, marked as a test.
#[derive(Serialize)]
pub struct TestPayload<'a> {
    pub delivery_id: &'a str,
    /// Always `test`.
    pub event: &'a str,
    /// Always true: nothing to file.
    pub test: bool,
    pub helpline_code: &'a str,
    pub sent_at: chrono::DateTime<chrono::Utc>,
}

/// The receiver's answer to a test delivery.
pub struct TestAnswer {
    /// The HTTP status, when the receiver answered.
    pub status: Option<u16>,
    /// The start of the answer's body (at most [`ANSWER_CHARS`] characters).
    pub body: String,
    /// Why it failed, when it did (a code, as the outbox records them).
    pub error: Option<String>,
}

/// How much of a test delivery's answer is kept.
pub const ANSWER_CHARS: usize = 500;

/// Posts a test delivery, signed like a real one, and reads the receiver's answer.
pub async fn send_test(client: &reqwest::Client, url: &str, secret: &str, payload: &TestPayload<'_>) -> TestAnswer {
    let body = match serde_json::to_vec(payload) {
        Ok(b) => b,
        Err(_) => {
            return TestAnswer { status: None, body: String::new(), error: Some("payload does not serialise".into()) };
        }
    };
    match post_signed(client, url, secret, payload.delivery_id, payload.event, &body).await {
        Ok(mut resp) => {
            let status = resp.status().as_u16();
            let mut bytes = Vec::new();
            while bytes.len() < ANSWER_CHARS * 4 {
                match resp.chunk().await {
                    Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            let body: String = String::from_utf8_lossy(&bytes).chars().take(ANSWER_CHARS).collect();
            let error = match Attempt::from_status(status) {
                Attempt::Delivered => None,
                Attempt::Retry(e) | Attempt::Permanent(e) => Some(e),
            };
            TestAnswer { status: Some(status), body, error }
        }
        Err(e) => {
            let error = match Attempt::from_error(&e) {
                Attempt::Retry(e) | Attempt::Permanent(e) => e,
                Attempt::Delivered => String::new(),
            };
            TestAnswer { status: None, body: String::new(), error: Some(error) }
        }
    }
}
