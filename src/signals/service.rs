//! Signal intake: idempotent, routed, encrypted, and written with its outbox row in
//! one transaction — and what relays may see of a signal afterwards.

use crate::domain::Role;
use crate::domain::{Language, Region, RelayPointId, SignalId, UserId};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use utoipa::ToSchema;

use super::alerts::Alert;
use super::model::{Contact, Reference, SignalStatus, Urgency};
use super::model::{Filing, Signal};
use super::store::{self, IdempotencyRecord, NewOutboxRow, RelayOrigin, SignalContact};
use crate::crypto::{KeyUsage, MasterKeyRing, Purpose, WrappedKey};
use crate::db::{self, AnyConnection, Writer};
use crate::http::error::{AppError, FieldError};
use crate::resources::model::Resource;
use crate::routing::cache::NetworkCache;
use crate::routing::model::{Helpline, Origin, Route, route};
use crate::state::AppState;
use crate::training::status::StatusCache;
use crate::users::caller::{AuthUser, Claims};
use zeroize::Zeroizing;

// What other capabilities do to signals inside their own transactions: the
// helpline's queue and work on a case, escalation, deliveries (cancelled, or
// forwarded) and the destruction of a contact.
pub use super::case_store::{
    CaseRow, ClaimScope, assign, cancel_pending_deliveries, claim, close, escalation_candidates, find_case,
    helpline_timeline, mark_escalated, mark_forwarded, note_attempt, queue, queue_by_claim, relay_municipality,
    release, touch, transfer,
};
pub use super::simulate::{ClosedBecause, SimulatedRule, SimulationView, run as simulate_route};
pub use super::store::{call_windows_of, destroy_contact, find_by_id};

/// How long an `Idempotency-Key` is remembered.
pub const IDEMPOTENCY_TTL_HOURS: i64 = 24;

/// A validated submission.
pub struct Submission {
    pub contact: Contact,
    pub language: Language,
    pub urgency: Urgency,
}

/// The helpline that will call back, as the relay may tell the person.
#[derive(Clone, Serialize, ToSchema)]
pub struct HelplineSummary {
    pub name: String,
    pub public_phone: String,
}

/// What the relay gets back. It never contains the contact (the phone at the
/// counter may be shared).
#[derive(Clone, Serialize, ToSchema)]
pub struct Receipt {
    /// Short reference to quote, e.g. `K7Q-2XPA`.
    pub reference: String,
    pub status: SignalStatus,
    pub urgency: Urgency,
    pub helpline: HelplineSummary,
    /// Whether the helpline is open now.
    pub helpline_open_now: bool,
    /// When the callback can be expected to start at the earliest (absent when the
    /// helpline has no opening hours in the next three weeks).
    pub expected_callback_from: Option<DateTime<Utc>>,
    /// For `immediate_danger`: what to do right now.
    pub guidance: Option<String>,
    /// The relay point's training status when the signal was filed; a signal from
    /// a relay that is not `trained` is accepted and flagged.
    pub relay_training_status: String,
    /// Where else the person can get help, to hand over.
    pub referrals: Vec<Resource>,
}

fn guidance(urgency: Urgency, language: Language) -> Option<String> {
    (urgency == Urgency::ImmediateDanger).then(|| {
        match language {
            Language::Nl => "Onmiddellijk gevaar: bel nu 112. De hulplijn belt daarna zo snel mogelijk terug.",
            Language::Fr => {
                "Danger immédiat : appelez le 112 maintenant. La ligne d'écoute rappellera ensuite au plus vite."
            }
            Language::De => {
                "Akute Gefahr: Rufen Sie jetzt 112 an. Die Hilfelinie ruft danach so schnell wie möglich zurück."
            }
            Language::En | Language::Other => {
                "Immediate danger: call 112 now. The helpline will call back as soon as possible afterwards."
            }
        }
        .to_string()
    })
}

/// What intake tells the relay of a routing decision: the receipt's fields that
/// follow from the route (the route simulator shows the same).
#[derive(Clone, Serialize, ToSchema)]
pub struct Told {
    pub helpline: HelplineSummary,
    pub helpline_open_now: bool,
    pub expected_callback_from: Option<DateTime<Utc>>,
    pub guidance: Option<String>,
    pub referrals: Vec<Resource>,
}

/// The receipt's fields for a signal routed to `helpline` by `chosen`.
pub fn told(
    directory: &[crate::resources::model::Resource],
    helpline: &Helpline,
    chosen: &Route,
    urgency: Urgency,
    language: Language,
    region: Region,
) -> Told {
    Told {
        helpline: HelplineSummary { name: helpline.name.clone(), public_phone: helpline.public_phone.clone() },
        helpline_open_now: chosen.open_now,
        expected_callback_from: chosen.callback_from.map(|t| db::truncate_micros(t.naive_utc()).and_utc()),
        guidance: guidance(urgency, language),
        referrals: crate::resources::service::pick(directory, Some(region), Some(language)),
    }
}

/// A keyed fingerprint of a request body: equal bodies give equal fingerprints,
/// and without the server's fingerprint key it reveals nothing of the phone number
/// inside. The key is random, stored sealed and does not change when master keys
/// rotate, so a retry filed before a rotation still matches after it.
pub struct Fingerprint {
    /// `v2:<hex HMAC-SHA256(fingerprint key, body)>`, as stored.
    mac: String,
    /// The body's fingerprints as computed before the fingerprint key existed (from
    /// each master key), to match a record written before the upgrade.
    legacy: Vec<String>,
}

impl Fingerprint {
    fn matches(&self, stored: &str) -> bool {
        stored == self.mac || (!stored.starts_with("v2:") && self.legacy.iter().any(|l| l == stored))
    }
}

fn hmac_hex(key: &[u8], body: &[u8]) -> Result<String, AppError> {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).map_err(|_| AppError::internal("mac key length"))?;
    mac.update(body);
    Ok(mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect())
}

pub fn fingerprint(state: &AppState, canonical_body: &[u8]) -> Result<Fingerprint, AppError> {
    let mac = format!("v2:{}", hmac_hex(&state.fingerprint_key[..], canonical_body)?);
    let legacy = state
        .master_keys
        .legacy_fingerprint_keys()
        .iter()
        .map(|k| hmac_hex(k, canonical_body))
        .collect::<Result<_, _>>()?;
    Ok(Fingerprint { mac, legacy })
}

/// An earlier answer to the same key: replayed when the body matches.
fn replay(rec: IdempotencyRecord, mac: &Fingerprint) -> Result<(u16, String), AppError> {
    if !mac.matches(&rec.request_mac) {
        return Err(AppError::Validation(vec![FieldError::new(
            "Idempotency-Key",
            "this key was already used with a different request body; use a new key for a new signal",
        )]));
    }
    Ok((u16::try_from(rec.status_code).unwrap_or(201), rec.response_body))
}

/// The key of the idempotency fingerprints: read (and opened) from the database,
/// created on first start. When it cannot be opened (its master key was dropped
/// before `rotate-keys` re-wrapped it) a new one replaces it: only retries of
/// requests filed in the last 24 hours stop matching, and intake goes on.
pub async fn load_fingerprint_key(db: &db::Db, keys: &Arc<MasterKeyRing>) -> Result<Zeroizing<[u8; 32]>, AppError> {
    let context = FINGERPRINT_CONTEXT;
    for _ in 0..3 {
        let keys = keys.clone();
        let loaded = db
            .write(move |c| {
                let fresh = crate::crypto::random_key();
                let sealed = keys.seal(Purpose::IdempotencyFingerprint, &fresh[..], context)?;
                match store::find_fingerprint_key(c)? {
                    None => {
                        store::insert_fingerprint_key(c, &sealed, db::now())?;
                        Ok(fresh)
                    }
                    Some(stored) => match keys.open(Purpose::IdempotencyFingerprint, &stored, context) {
                        Ok(plain) => {
                            let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| {
                                AppError::internal("the idempotency fingerprint key has the wrong length")
                            })?;
                            Ok(Zeroizing::new(key))
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, key_id = %stored.key_id, "the idempotency fingerprint key cannot be opened (its master key is not configured); a new one replaces it");
                            let old = WrappedKey { key_id: stored.key_id, wrapped_key: stored.wrapped_key };
                            if store::replace_fingerprint_key(c, &old, &sealed)? {
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
    Err(AppError::internal("could not create the idempotency fingerprint key"))
}

const FINGERPRINT_CONTEXT: &[u8] = b"fingerprint/idempotency";

/// One outbox row per delivery channel of the destination, due now.
pub fn enqueue_deliveries(
    c: &mut AnyConnection,
    signal: &Signal,
    channels: &[&str],
    at: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    let priority = signal.urgency.priority();
    let (signal_id, helpline_id) = (signal.id.to_string(), signal.helpline_id.to_string());
    for channel in channels {
        store::insert_outbox(
            c,
            &NewOutboxRow {
                id: uuid::Uuid::new_v4().to_string(),
                signal_id: &signal_id,
                helpline_id: &helpline_id,
                channel,
                event: "signal.received",
                priority,
                status: "pending",
                attempts: 0,
                next_attempt_at: at,
                created_at: at,
                updated_at: at,
            },
        )?;
    }
    Ok(())
}

/// Files a signal; returns the status code and JSON body to send (the first
/// response again for a retry with the same key).
///
/// Everything happens in one trip to the database (`Db::session`): the account
/// behind the token is re-read, the key looked up, the relay's hourly count taken,
/// the signal routed, the contact sealed and the write transaction committed. Each
/// trip is a thread hand-off and back, which cost intake more CPU than its queries.
pub async fn submit(
    state: &AppState,
    claims: &Claims,
    key: String,
    mac: Fingerprint,
    sub: Submission,
) -> Result<(u16, String), AppError> {
    let claims = claims.clone();
    let totp_required = state.settings.totp_required_for(claims.role);
    let limits = Limits {
        keys: state.master_keys.clone(),
        per_hour: i64::from(state.settings.signal_rate_limit_per_hour.max(1)),
        network: state.network.clone(),
        statuses: state.training_statuses.clone(),
    };
    let (status, body, alerts) = state
        .db
        .session(move |c, writer| {
            let auth = claims.confirm_with(c, totp_required)?;
            file(c, writer, &limits, &auth, &key, &mac, &sub)
        })
        .await?;
    for alert in &alerts {
        super::alerts::log(alert);
    }
    Ok((status, body))
}

/// What filing needs from the application state, owned so that it can move to the
/// database thread.
struct Limits {
    keys: Arc<MasterKeyRing>,
    per_hour: i64,
    network: Arc<NetworkCache>,
    statuses: Arc<StatusCache>,
}

fn file(
    c: &mut AnyConnection,
    writer: &Writer,
    limits: &Limits,
    auth: &AuthUser,
    key: &str,
    mac: &Fingerprint,
    sub: &Submission,
) -> Result<(u16, String, Vec<Alert>), AppError> {
    auth.require(&[Role::RelayStaff])?;
    let relay = auth.scope.relay_point_id.ok_or(AppError::Forbidden)?;
    let user = auth.id.to_string();
    let now = db::now();
    let limit = limits.per_hour;

    // One read for the key: a live record is answered with a replay, an expired one
    // is removed in the write below (so the key can be used again).
    let expired = match store::find_idempotency_any(c, &user, key)? {
        Some(rec) if rec.expires_at > now => {
            return replay(rec, mac).map(|(status, body)| (status, body, Vec::new()));
        }
        found => found.is_some(),
    };
    let Submission { contact, language, urgency } = sub;
    let (language, urgency) = (*language, *urgency);
    let since = now - Duration::hours(1);
    let recent = store::count_recent_from_relay(c, relay, since)?;
    // Immediate danger is never turned away: it is counted, and the programme's
    // managers are told when a relay first passes the limit within the hour.
    if recent >= limit && urgency == Urgency::Standard {
        return Err(AppError::TooManyRequests { retry_after_secs: retry_after(c, relay, now)? });
    }
    let (receipt, signal, channels, origin, rule_matched) =
        prepare(c, &limits.network, &limits.statuses, relay, auth.id, language, urgency)?;
    let mut alerts = Vec::new();
    if recent == limit && urgency == Urgency::ImmediateDanger {
        alerts.push(Alert::DangerOverLimit { programme: origin.programme_id, relay_name: origin.name.clone(), limit });
    }
    if !rule_matched {
        alerts.push(Alert::MissingRule {
            programme: origin.programme_id,
            relay_name: origin.name.clone(),
            region: origin.region,
            language,
        });
    }
    let mut alert_mail = Vec::new();
    for alert in &alerts {
        alert_mail.extend(super::alerts::render(c, alert)?);
    }
    let plaintext =
        zeroize::Zeroizing::new(serde_json::to_vec(&contact).map_err(|e| AppError::internal(format!("contact: {e}")))?);
    // The windows alone, outside the seal (docs/PRIVACY.md says why).
    let call_windows = if contact.safe_windows.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&contact.safe_windows).map_err(|e| AppError::internal(format!("windows: {e}")))?)
    };

    for _attempt in 0..3 {
        let signal = Signal { id: SignalId::new(), reference: Reference::generate(), ..signal.clone() };
        let sealed = limits
            .keys
            .seal(Purpose::Contact, &plaintext, signal.id.to_string().as_bytes())
            .map_err(|e| AppError::internal(format!("sealing: {e}")))?;
        let mut receipt = receipt.clone();
        receipt.reference = signal.reference.as_str().to_string();
        let response = serde_json::to_string(&receipt).map_err(|e| AppError::internal(format!("receipt: {e}")))?;
        let record = IdempotencyRecord {
            user_id: user.clone(),
            idem_key: key.to_string(),
            request_mac: mac.mac.clone(),
            status_code: 201,
            response_body: response,
            created_at: now,
            expires_at: now + Duration::hours(IDEMPOTENCY_TTL_HOURS),
        };
        let contact_row = SignalContact {
            signal_id: signal.id.to_string(),
            key_id: sealed.key_id,
            wrapped_key: sealed.wrapped_key,
            ciphertext: sealed.ciphertext,
            created_at: now,
            call_windows: call_windows.clone(),
        };
        let (channels, alert_mail) = (channels.clone(), alert_mail.clone());
        match writer
            .transaction(c, move |c| write_signal(c, &signal, &channels, &contact_row, &record, &alert_mail, expired))
        {
            Ok(response) => {
                tracing::info!(urgency = urgency.as_str(), "signal received");
                return Ok((201, response, alerts));
            }
            // The key's record exists (another request with the same key committed
            // first) or the reference is taken: the write rolled back.
            Err(AppError::Conflict(_)) => {
                if let Some(rec) = store::find_idempotency(c, &user, key, now)? {
                    return replay(rec, mac).map(|(status, body)| (status, body, Vec::new()));
                }
                // A reference collision: try again with a new one.
            }
            Err(e) => return Err(e),
        }
    }
    Err(AppError::internal("could not allocate a unique reference"))
}

/// The signal, its contact, its outbox row, its staff alerts and the idempotency
/// record: all or nothing. The record goes first: when another request with the
/// same key committed meanwhile, its primary key refuses ours (`Conflict`) and the
/// transaction rolls back before anything else is written.
fn write_signal(
    c: &mut AnyConnection,
    signal: &Signal,
    channels: &[&str],
    contact: &SignalContact,
    record: &IdempotencyRecord,
    alerts: &[(crate::domain::Email, crate::domain::StaffLanguage, crate::mail::Rendered)],
    expired: bool,
) -> Result<String, AppError> {
    if expired {
        store::delete_expired_idempotency(c, &record.user_id, &record.idem_key, record.created_at)?;
    }
    store::insert_idempotency(c, record)?;
    store::insert_signal(c, signal)?;
    store::insert_contact(c, contact)?;
    enqueue_deliveries(c, signal, channels, signal.created_at)?;
    crate::outbox::staff_alerts::queue_rendered(c, alerts, signal.created_at)?;
    Ok(record.response_body.clone())
}

/// Seconds until the relay's oldest signal of the last hour leaves the window.
fn retry_after(c: &mut AnyConnection, relay: RelayPointId, now: chrono::NaiveDateTime) -> Result<u64, AppError> {
    let oldest = store::oldest_recent_from_relay(c, relay, now - Duration::hours(1))?;
    let wait = oldest.map_or(3600, |o| (o + Duration::hours(1) - now).num_seconds().max(1));
    Ok(u64::try_from(wait).unwrap_or(3600))
}

/// Routes the signal and builds the receipt (reference filled in at write time).
/// Also whether a routing rule matched (false: a helpline took it without one).
type Prepared = (Receipt, Signal, Vec<&'static str>, RelayOrigin, bool);

fn prepare(
    c: &mut AnyConnection,
    network: &NetworkCache,
    statuses: &StatusCache,
    relay: RelayPointId,
    submitted_by: UserId,
    language: Language,
    urgency: Urgency,
) -> Result<Prepared, AppError> {
    let origin = store::relay_origin(c, relay)?.ok_or(AppError::Forbidden)?;
    if !origin.active {
        // The answer's guidance names the helpline to call instead.
        return Err(AppError::Refused {
            code: "relay_point_inactive",
            detail: "This relay point is deactivated and can no longer file signals: call the helpline directly with the person.".into(),
        });
    }
    let (region, postcode) = (origin.region, origin.postcode);
    let (network_version, training_version) = crate::routing::cache::stamps(c)?;
    let network = network.at(c, network_version)?;
    let (rules, helplines) = (&network.rules, &network.helplines);
    let destinations: Vec<_> = helplines.iter().map(|h| h.destination.clone()).collect();
    let now_utc = Utc::now();
    // A signal without a matching rule still goes to a helpline (`chosen.rule_matched`
    // is false); only a network without any active helpline refuses it.
    let chosen = route(rules, &destinations, &Origin { region, postcode, language }, now_utc).ok_or_else(|| {
        AppError::Validation(vec![FieldError::new(
            "language",
            "no helpline is taking signals: call 1712 (Dutch) or 0800 30 030 (French) directly with the person",
        )])
    })?;
    let helpline = helplines.iter().find(|h| h.destination.id == chosen.helpline).ok_or(AppError::NotFound)?;
    let programme = origin.programme_id;
    let today = crate::domain::today();
    let training_status = statuses.relay_status(c, programme, relay, today, training_version)?;
    let now = db::now();
    let told = told(&network.referrals, helpline, &chosen, urgency, language, region);
    let receipt = Receipt {
        reference: String::new(),
        status: SignalStatus::Received,
        urgency,
        helpline: told.helpline,
        helpline_open_now: told.helpline_open_now,
        expected_callback_from: told.expected_callback_from,
        guidance: told.guidance,
        relay_training_status: training_status.as_str().to_string(),
        referrals: told.referrals,
    };
    // Id and reference are drawn afresh for each write attempt.
    let signal = Signal::received(
        Filing {
            relay_point_id: relay,
            submitted_by,
            helpline_id: chosen.helpline,
            urgency,
            language,
            region,
            relay_kind: origin.kind,
            relay_training_status: training_status,
            expected_callback_at: chosen.callback_from.map_or(now, |t| db::truncate_micros(t.naive_utc())),
        },
        now,
    );
    Ok((receipt, signal, helpline.channels(), origin, chosen.rule_matched))
}

/// Opens a signal's contact, or `None` once it has been destroyed.
pub fn read_contact(
    keys: &crate::crypto::MasterKeyRing,
    c: &mut AnyConnection,
    signal_id: SignalId,
) -> Result<Option<Contact>, AppError> {
    let Some(row) = store::find_contact(c, signal_id)? else { return Ok(None) };
    let signal_id = signal_id.to_string();
    let sealed = crate::crypto::Sealed { key_id: row.key_id, wrapped_key: row.wrapped_key, ciphertext: row.ciphertext };
    let plain = keys
        .open(Purpose::Contact, &sealed, signal_id.as_bytes())
        .map_err(|e| AppError::internal(format!("opening contact: {e}")))?;
    serde_json::from_slice(&plain).map(Some).map_err(|_| AppError::internal("contact does not parse"))
}

// Key rotation of contacts and of the fingerprint key (see `rotation`).

/// A page of contacts' wrapped keys after `after` (signal id order).
pub fn contact_keys_after(
    c: &mut AnyConnection,
    after: &str,
    limit: i64,
) -> Result<Vec<(String, WrappedKey)>, AppError> {
    Ok(store::contact_keys_after(c, after, limit)?)
}

/// Re-wraps a contact's data key if the row still holds `old` (a contact destroyed
/// meanwhile stays destroyed); true when it did.
pub fn rewrap_contact(
    c: &mut AnyConnection,
    signal_id: &str,
    old: &WrappedKey,
    new: &WrappedKey,
) -> Result<bool, AppError> {
    Ok(store::rewrap_contact(c, signal_id, old, new)?)
}

/// Contacts per master key.
pub fn contact_key_usage(c: &mut AnyConnection) -> Result<Vec<KeyUsage>, AppError> {
    Ok(store::contact_key_usage(c)?)
}

/// The fingerprint key's wrapped key, if created.
pub fn fingerprint_wrapped_key(c: &mut AnyConnection) -> Result<Option<WrappedKey>, AppError> {
    Ok(store::find_fingerprint_key(c)?.map(|s| WrappedKey { key_id: s.key_id, wrapped_key: s.wrapped_key }))
}

/// Re-wraps the fingerprint key if it still holds `old`.
pub fn rewrap_fingerprint_key(c: &mut AnyConnection, old: &WrappedKey, new: &WrappedKey) -> Result<bool, AppError> {
    Ok(store::rewrap_fingerprint_key(c, old, new)?)
}

/// The context the fingerprint key is sealed with.
pub fn fingerprint_context() -> &'static [u8] {
    FINGERPRINT_CONTEXT
}

/// How many stored signals a relay point has, by status (raw counts: the caller
/// shows them suppressed).
pub async fn counts_for_relay(state: &AppState, relay: RelayPointId) -> Result<Vec<(SignalStatus, i64)>, AppError> {
    state.db.run(move |c| Ok(store::count_by_status_for_relay(c, relay)?)).await
}
