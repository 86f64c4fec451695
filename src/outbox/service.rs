//! What other capabilities may do with the outbox.

use chrono::NaiveDateTime;

use super::store;
use crate::db::AnyConnection;
use crate::domain::{HelplineId, Role, SignalId};
use crate::http::error::AppError;
use crate::http::pagination::{Cursor, Page, fetch_limit};
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// Sends a helpline's held deliveries (its supervisors confirmed its new channels)
/// at once; returns how many there were.
pub fn release_held(conn: &mut AnyConnection, helpline: HelplineId, now: NaiveDateTime) -> Result<usize, AppError> {
    Ok(store::release_held(conn, helpline, now)?)
}

/// A dead-lettered delivery as supervisors and admins see it: no contact, no
/// payload; the last error is a code (`HTTP 410`, `smtp: sending failed`).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DeadLetter {
    pub id: String,
    pub reference: String,
    pub helpline_id: HelplineId,
    /// `email` or `webhook`.
    pub channel: String,
    pub event: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it was given up.
    pub dead_at: chrono::DateTime<chrono::Utc>,
}

/// The helpline a caller may see the deliveries of: `None` (all) for admins,
/// their own for supervisors, 403 for everyone else.
fn delivery_scope(auth: &AuthUser) -> Result<Option<HelplineId>, AppError> {
    auth.require(&[Role::Admin, Role::HelplineSupervisor])?;
    match auth.role {
        Role::Admin => Ok(None),
        _ => auth.scope.helpline_id.map(Some).ok_or(AppError::Forbidden),
    }
}

/// One page of the dead deliveries the caller may see, the most recently dead first.
pub async fn dead_letters(
    state: &AppState,
    auth: &AuthUser,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<DeadLetter>, AppError> {
    let helpline = delivery_scope(auth)?;
    let after = after
        .map(|c| {
            let [at, id] = c.parts('|')?;
            Ok::<_, AppError>((Cursor::parse_time(at)?, id.to_string()))
        })
        .transpose()?;
    let rows =
        state.db.run(move |c| Ok::<_, AppError>(store::dead_letters(c, helpline, after, fetch_limit(limit))?)).await?;
    Page::from_rows(rows, limit, |r| Cursor::from_parts(&[&Cursor::time_part(r.dead_at), &r.id], '|')).try_map(|r| {
        Ok(DeadLetter {
            helpline_id: HelplineId::parse(&r.helpline_id)
                .ok_or_else(|| crate::db::corrupt("outbox", "helpline_id"))?,
            id: r.id,
            reference: r.reference,
            channel: r.channel,
            event: r.event,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at.and_utc(),
            dead_at: r.dead_at.and_utc(),
        })
    })
}

/// Puts a dead delivery back in the queue (audited). Another helpline's delivery
/// is 404; one that is not dead, or whose signal is closed, is 409.
pub async fn retry_dead_letter(state: &AppState, auth: &AuthUser, id: &str) -> Result<(), AppError> {
    let helpline = delivery_scope(auth)?;
    let id = uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)?.to_string();
    let me = auth.id;
    state
        .db
        .write(move |c| {
            let now = crate::db::now();
            let (owner, signal_id, status) = store::delivery_owner(c, &id)?.ok_or(AppError::NotFound)?;
            if helpline.is_some_and(|h| h.to_string() != owner) {
                return Err(AppError::NotFound);
            }
            if status != "dead" {
                return Err(AppError::Conflict("This delivery is not dead-lettered.".into()));
            }
            let closed = crate::signals::service::find_by_id(
                c,
                SignalId::parse(&signal_id).ok_or_else(|| crate::db::corrupt("outbox", "signal_id"))?,
            )?
            .is_none_or(|s| s.closed_at.is_some());
            if closed {
                return Err(AppError::Conflict("The signal is closed: there is nothing to deliver.".into()));
            }
            if !store::retry_dead(c, &id, now)? {
                return Err(AppError::Conflict("This delivery is not dead-lettered.".into()));
            }
            crate::audit::record(c, Some(me), crate::audit::Action::DeliveryRetried, Some(&signal_id), Some(&id))?;
            Ok(())
        })
        .await
}

/// The result of a test delivery: what the helpline's receiver answered.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TestDelivery {
    /// The test delivery's id (`X-SafeRelay-Delivery`).
    pub delivery_id: String,
    /// Whether the receiver acknowledged it (any 2xx).
    pub delivered: bool,
    /// The receiver's HTTP status; absent when it did not answer.
    pub status: Option<u16>,
    /// The start of the receiver's answer (at most 500 characters).
    pub answer: String,
    /// Why it failed (`HTTP 410`, `timeout`, `connection failed`), when it did.
    pub error: Option<String>,
}

/// Sends a test delivery to the helpline's webhook (admins): signed with its
/// secret like a real delivery, with event `test`, carrying no signal and no
/// contact; nothing is queued or retried. Audited. A helpline without a webhook,
/// or whose URL the deployment refuses, is 422.
pub async fn test_delivery(state: &AppState, auth: &AuthUser, id: HelplineId) -> Result<TestDelivery, AppError> {
    auth.require(&[Role::Admin])?;
    let keys = state.master_keys.clone();
    let helpline = state.db.run(move |c| crate::routing::service::get_helpline(c, id)).await?;
    let Some(raw) = helpline.webhook_url.clone() else {
        return Err(AppError::invalid("webhook_url", "the helpline has no webhook to test"));
    };
    let policy = state.settings.webhook_policy();
    let url = crate::domain::WebhookUrl::parse(&raw, policy).map_err(|e| AppError::Validation(vec![e]))?;
    let secret = crate::routing::service::open_webhook_secret(&keys, &helpline)?
        .ok_or_else(|| AppError::invalid("webhook_secret", "the helpline's webhook has no secret"))?;
    let timeout = std::time::Duration::from_secs(state.settings.webhook_timeout_secs);
    let client = crate::net::webhook_client(timeout, policy).map_err(AppError::internal)?;
    let delivery_id = format!("test-{}", uuid::Uuid::new_v4());
    let payload = super::webhook::TestPayload {
        delivery_id: &delivery_id,
        event: super::webhook::TEST_EVENT,
        test: true,
        helpline_code: &helpline.destination.code,
        sent_at: chrono::Utc::now(),
    };
    let answer = super::webhook::send_test(&client, url.as_str(), &secret, &payload).await;
    let me = auth.id;
    state
        .db
        .write(move |c| {
            crate::audit::record(c, Some(me), crate::audit::Action::HelplineTestDelivery, None, Some(&id.to_string()))?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(TestDelivery {
        delivered: answer.error.is_none(),
        status: answer.status,
        answer: answer.body,
        error: answer.error,
        delivery_id,
    })
}
