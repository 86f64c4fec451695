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
