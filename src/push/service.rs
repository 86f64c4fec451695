//! Web Push to the relay app: the server's VAPID key, devices subscribing and
//! unsubscribing, queueing a push when a signal's status changes, and sending
//! what is queued.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use web_push::{ContentEncoding, SubscriptionInfo, VapidSignatureBuilder, WebPushMessageBuilder};
use zeroize::Zeroizing;

use super::store::{self, SubscriptionRow};
use crate::crypto::{MasterKeyRing, Purpose, WrappedKey};
use crate::db::{self, AnyConnection};
use crate::domain::{FieldError, RelayPointId, Role, WebhookUrl};
use crate::http::error::AppError;
use crate::outbox::model::backoff;
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// What every push says: no reference, no status, nothing about anyone. The app
/// fetches "My signals" when it receives it.
pub const PAYLOAD: &[u8] = br#"{"kind":"signal_status_changed"}"#;

/// How long a push is retried, and how long a push service keeps one for an
/// offline device (`TTL`): a day. Later, the app has refreshed by itself anyway.
const GIVE_UP_HOURS: i64 = 24;

/// The server's VAPID key pair: the private key (raw, base64url) and the public
/// key (uncompressed point, base64url: the app's `applicationServerKey`).
pub struct PushKey {
    private_b64: Zeroizing<String>,
    pub public_b64: String,
}

impl std::fmt::Debug for PushKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushKey").field("public_b64", &self.public_b64).finish_non_exhaustive()
    }
}

impl PushKey {
    /// The key pair from a raw private key, if it is a valid P-256 scalar.
    fn from_raw(raw: &[u8]) -> Option<Self> {
        let private_b64 = Zeroizing::new(URL_SAFE_NO_PAD.encode(raw));
        let partial = VapidSignatureBuilder::from_base64_no_sub(&private_b64).ok()?;
        let public_b64 = URL_SAFE_NO_PAD.encode(partial.get_public_key());
        Some(Self { private_b64, public_b64 })
    }

    /// A new random key pair (a random 32-byte string is a valid scalar but with a
    /// negligible chance; drawn again if not).
    fn generate() -> (Zeroizing<[u8; 32]>, Self) {
        loop {
            let raw = crate::crypto::random_key();
            if let Some(key) = Self::from_raw(&raw[..]) {
                return (raw, key);
            }
        }
    }
}

const KEY_CONTEXT: &[u8] = b"push/vapid";

/// The sealing context of the VAPID key (key rotation).
pub fn key_context() -> &'static [u8] {
    KEY_CONTEXT
}

/// The VAPID key: read (and opened) from the database, created on first start.
/// When it cannot be opened (its master key was dropped before `rotate-keys`
/// re-wrapped it) a new one replaces it, and every subscription, made for the old
/// public key, is deleted: the app subscribes again when it sees the new key.
pub async fn load_key(db: &db::Db, keys: &Arc<MasterKeyRing>) -> Result<PushKey, AppError> {
    for _ in 0..3 {
        let keys = keys.clone();
        let loaded = db
            .write(move |c| {
                let (fresh_raw, fresh) = PushKey::generate();
                let sealed = keys.seal(Purpose::PushKey, &fresh_raw[..], KEY_CONTEXT)?;
                match store::find_key(c)? {
                    None => {
                        store::insert_key(c, &sealed, db::now())?;
                        Ok(fresh)
                    }
                    Some(stored) => match keys.open(Purpose::PushKey, &stored, KEY_CONTEXT) {
                        Ok(plain) => PushKey::from_raw(&plain)
                            .ok_or_else(|| AppError::internal("the stored Web Push key is not a P-256 key")),
                        Err(e) => {
                            tracing::warn!(error = %e, key_id = %stored.key_id, "the Web Push key cannot be opened (its master key is not configured); a new one replaces it and devices subscribe again");
                            let old = WrappedKey { key_id: stored.key_id, wrapped_key: stored.wrapped_key };
                            if store::replace_key(c, &old, &sealed)? {
                                Ok(fresh)
                            } else {
                                Err(AppError::Conflict("replaced concurrently".into()))
                            }
                        }
                    },
                }
            })
            .await;
        match loaded {
            Err(AppError::Conflict(_)) => continue,
            other => return other,
        }
    }
    Err(AppError::internal("could not create the Web Push key"))
}

/// The VAPID key's wrapped data key, if created (key rotation).
pub fn wrapped_key(c: &mut AnyConnection) -> Result<Option<WrappedKey>, AppError> {
    Ok(store::find_key(c)?.map(|s| WrappedKey { key_id: s.key_id, wrapped_key: s.wrapped_key }))
}

/// Re-wraps the VAPID key's data key if it is still `old` (key rotation).
pub fn rewrap_key(c: &mut AnyConnection, old: &WrappedKey, new: &WrappedKey) -> Result<bool, AppError> {
    Ok(store::rewrap_key(c, old, new)?)
}

/// A subscription as a browser's `PushSubscription.toJSON()` gives it.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    /// The push service's URL for this device (https; in production to a public
    /// address only, checked again at each send).
    pub endpoint: String,
    /// Ignored: push services give it as `null`.
    #[serde(default, rename = "expirationTime")]
    #[schema(value_type = Option<i64>)]
    pub expiration_time: Option<serde_json::Value>,
    pub keys: SubscriptionKeys,
}

/// The device's keys for RFC 8291 message encryption.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionKeys {
    /// The device's P-256 public key, uncompressed, base64url (65 bytes).
    pub p256dh: String,
    /// The device's authentication secret, base64url (16 bytes).
    pub auth: String,
}

/// What a subscription is known by (to remove it).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SubscriptionView {
    pub id: String,
}

fn relay_of(auth: &AuthUser) -> Result<RelayPointId, AppError> {
    auth.require(&[Role::RelayStaff])?;
    auth.scope.relay_point_id.ok_or(AppError::Forbidden)
}

fn decoded_len(raw: &str) -> Option<usize> {
    URL_SAFE_NO_PAD.decode(raw.trim_end_matches('=')).ok().map(|b| b.len())
}

/// Checks a subscription; every problem by field.
fn validate(body: &NewSubscription, state: &AppState) -> Result<WebhookUrl, AppError> {
    let mut errors = Vec::new();
    let endpoint = WebhookUrl::parse(&body.endpoint, state.settings.webhook_policy())
        .map_err(|e| errors.push(FieldError::new("endpoint", &e.message)))
        .ok();
    if body.keys.p256dh.len() > 200 || decoded_len(&body.keys.p256dh) != Some(65) {
        errors.push(FieldError::new("keys.p256dh", "must be a base64url P-256 public key (65 bytes)"));
    }
    if body.keys.auth.len() > 100 || decoded_len(&body.keys.auth) != Some(16) {
        errors.push(FieldError::new("keys.auth", "must be a base64url 16-byte secret"));
    }
    match endpoint {
        Some(url) if errors.is_empty() => Ok(url),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Subscribes the caller's device; subscribing the same endpoint again replaces it.
pub async fn subscribe(state: &AppState, auth: &AuthUser, body: NewSubscription) -> Result<SubscriptionView, AppError> {
    let relay = relay_of(auth)?;
    let endpoint = validate(&body, state)?;
    let row = SubscriptionRow {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: auth.id.to_string(),
        relay_point_id: relay.to_string(),
        endpoint: endpoint.as_str().to_string(),
        p256dh: body.keys.p256dh.trim_end_matches('=').to_string(),
        auth: body.keys.auth.trim_end_matches('=').to_string(),
        created_at: db::now(),
    };
    let id = row.id.clone();
    state.db.write(move |c| Ok::<_, AppError>(store::upsert_subscription(c, &row)?)).await?;
    Ok(SubscriptionView { id })
}

/// Removes one of the caller's subscriptions; 404 for any other.
pub async fn unsubscribe(state: &AppState, auth: &AuthUser, id: String) -> Result<(), AppError> {
    relay_of(auth)?;
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let user = auth.id.to_string();
    let deleted = state.db.write(move |c| Ok::<_, AppError>(store::delete_own(c, &user, &id)?)).await?;
    if deleted { Ok(()) } else { Err(AppError::NotFound) }
}

/// Removes every subscription of an account ("sign out everywhere").
pub fn unsubscribe_all(c: &mut AnyConnection, user: crate::domain::UserId) -> Result<usize, AppError> {
    Ok(store::delete_of_user(c, &user.to_string())?)
}

/// Queues a push to the devices of the relay point that filed `signal`: its status
/// changed. Call inside the transaction of the change.
pub fn status_changed(c: &mut AnyConnection, signal: &str, now: NaiveDateTime) -> diesel::QueryResult<usize> {
    store::queue_for_signal(c, signal, now)
}

/// What became of one push.
enum Outcome {
    Sent,
    /// The push service no longer knows the device (404, 410) or refuses our key
    /// (401, 403): the subscription is deleted.
    Gone(&'static str),
    Permanent(&'static str),
    Retry(&'static str),
}

/// One round: lease due pushes, send them, record the results; returns how many.
pub async fn tick(state: &AppState, http: &reqwest::Client) -> Result<usize, AppError> {
    let now = db::now();
    let lease_until = now + chrono::Duration::seconds(i64::try_from(state.settings.outbox_lease_secs).unwrap_or(120));
    let rows = state.db.write(move |c| Ok::<_, AppError>(store::claim_due(c, now, lease_until)?)).await?;
    let n = rows.len();
    for row in rows {
        if let Err(e) = send(state, http, row).await {
            tracing::warn!(error = %e, "push bookkeeping failed; the lease will expire and it is retried");
        }
    }
    Ok(n)
}

async fn send(state: &AppState, http: &reqwest::Client, row: store::MessageRow) -> Result<(), AppError> {
    let now = db::now();
    let subscription = row.subscription_id.clone();
    let sub = state.db.write(move |c| Ok::<_, AppError>(store::deliverable(c, &subscription, now)?)).await?;
    let outcome = match sub {
        None => Outcome::Gone("subscription ended"),
        Some(sub) => push(state, http, &sub).await,
    };
    let now = db::now();
    let attempts = row.attempts.saturating_add(1);
    let expired = now - row.created_at >= chrono::Duration::hours(GIVE_UP_HOURS);
    let (record, gone) = match outcome {
        Outcome::Sent => (("sent", now, None), false),
        Outcome::Gone(why) => (("skipped", now, Some(why)), true),
        Outcome::Permanent(why) => (("dead", now, Some(why)), false),
        Outcome::Retry(why) if expired => (("dead", now, Some(why)), false),
        Outcome::Retry(why) => {
            let wait =
                chrono::Duration::from_std(backoff(u32::try_from(row.attempts).unwrap_or(0))).unwrap_or_default();
            (("pending", now + wait, Some(why)), false)
        }
    };
    match record.0 {
        "sent" => state.metrics.pushes.with_label_values(&["sent"]).inc(),
        "skipped" => state.metrics.pushes.with_label_values(&["gone"]).inc(),
        "dead" => state.metrics.pushes.with_label_values(&["dead"]).inc(),
        _ => state.metrics.pushes.with_label_values(&["retry"]).inc(),
    }
    let (id, subscription) = (row.id, row.subscription_id);
    state
        .db
        .write(move |c| {
            store::record_attempt(c, &id, record, attempts, now)?;
            if gone {
                store::delete_subscription(c, &subscription)?;
            }
            Ok::<_, AppError>(())
        })
        .await
}

/// Encrypts (RFC 8291, `aes128gcm`), signs (RFC 8292 VAPID) and POSTs one push.
async fn push(state: &AppState, http: &reqwest::Client, sub: &SubscriptionRow) -> Outcome {
    // Checked again at each send: the policy may be stricter than when it was stored.
    let Ok(endpoint) = WebhookUrl::parse(&sub.endpoint, state.settings.webhook_policy()) else {
        return Outcome::Gone("endpoint refused");
    };
    let info = SubscriptionInfo::new(endpoint.as_str(), &sub.p256dh, &sub.auth);
    let Ok(mut signature) = VapidSignatureBuilder::from_base64(&state.push_key.private_b64, &info) else {
        return Outcome::Permanent("VAPID key unusable");
    };
    // RFC 8292: the audience is the push resource's origin, port included (the
    // crate's default drops a non-default port).
    signature.add_claim("aud", endpoint.origin());
    signature.add_claim("sub", vapid_subject(state));
    let Ok(signature) = signature.build() else { return Outcome::Permanent("VAPID signature failed") };
    let mut builder = WebPushMessageBuilder::new(&info);
    builder.set_payload(ContentEncoding::Aes128Gcm, PAYLOAD);
    builder.set_ttl(u32::try_from(GIVE_UP_HOURS * 3600).unwrap_or(86_400));
    // One topic: a push service holding an undelivered push replaces it.
    builder.set_topic("signal-status".into());
    builder.set_vapid_signature(signature);
    let Ok(message) = builder.build() else { return Outcome::Gone("device keys unusable") };
    let request = web_push::request_builder::build_request::<Vec<u8>>(message);
    let mut out = http.post(endpoint.as_str());
    for (name, value) in request.headers() {
        out = out.header(name.as_str(), value.as_bytes());
    }
    match out.body(request.into_body()).send().await {
        Ok(res) => match res.status().as_u16() {
            200..=299 => Outcome::Sent,
            404 | 410 => Outcome::Gone("unknown to the push service"),
            401 | 403 => Outcome::Gone("push service refused the key"),
            400 | 413 => Outcome::Permanent("push service refused the message"),
            _ => Outcome::Retry("push service unavailable"),
        },
        Err(e) if crate::net::is_refused_address(&e) => Outcome::Gone("endpoint resolves to a refused address"),
        Err(_) => Outcome::Retry("push service unreachable"),
    }
}

/// The VAPID `sub` claim: how a push service reaches the operator — the public
/// URL (an `https:` URI), or the sender address of e-mails.
fn vapid_subject(state: &AppState) -> String {
    if state.settings.public_url.starts_with("https://") {
        state.settings.public_url.trim_end_matches('/').to_string()
    } else {
        format!("mailto:{}", state.settings.mail_from)
    }
}
