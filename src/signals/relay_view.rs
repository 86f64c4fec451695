//! What relays may see of their signals (status only, never contact or outcome),
//! and withdrawing one before a helpline takes it.

use crate::domain::{RelayPointId, Role};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::case_store;
use super::model::{CLAIM_IDLE_MINUTES, Reference, SignalStatus, Urgency};
use super::store::{self, SignalWithHelpline};
use crate::audit::{self, Action};
use crate::http::error::AppError;
use crate::http::pagination::{Cursor, Page, fetch_limit};
use crate::state::AppState;
use crate::users::caller::AuthUser;
use chrono::Duration;

/// A signal as its relay point follows it.
#[derive(Serialize, ToSchema)]
pub struct RelaySignalView {
    pub reference: String,
    pub status: SignalStatus,
    pub urgency: Urgency,
    pub helpline: super::service::HelplineSummary,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RelaySignalView {
    /// The view at `now`: a claim that lapsed no longer shows as work in progress.
    fn at((s, (name, public_phone)): SignalWithHelpline, now: chrono::NaiveDateTime) -> Self {
        Self {
            status: s.status_at(now),
            urgency: s.urgency,
            reference: s.reference.as_str().to_string(),
            helpline: super::service::HelplineSummary { name, public_phone },
            created_at: s.created_at.and_utc(),
            updated_at: s.updated_at.and_utc(),
        }
    }
}

fn relay_of(auth: &AuthUser) -> Result<RelayPointId, AppError> {
    auth.require(&[Role::RelayStaff])?;
    auth.scope.relay_point_id.ok_or(AppError::Forbidden)
}

/// One signal of the caller's relay point; any other reference is 404.
pub async fn get(state: &AppState, auth: &AuthUser, reference: &str) -> Result<RelaySignalView, AppError> {
    let relay = relay_of(auth)?;
    let reference = Reference::parse(reference).ok_or(AppError::NotFound)?;
    let row = state
        .db
        .run(move |c| Ok::<_, AppError>(store::find_for_relay(c, relay, &reference)?))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(RelaySignalView::at(row, crate::db::now()))
}

/// Withdraws a signal of the caller's relay point before a helpline takes it: the
/// contact is destroyed, deliveries not yet made are cancelled and the helpline's
/// queue drops it, in one transaction with its audit row. The signal then shows as
/// `withdrawn`. Withdrawing it again answers the same view; a signal a helpline
/// claimed or tried to call is refused (409 `signal_taken`), a closed one too
/// (409 `signal_closed`); another relay point's signal is 404.
pub async fn withdraw(state: &AppState, auth: &AuthUser, reference: &str) -> Result<RelaySignalView, AppError> {
    let relay = relay_of(auth)?;
    let reference = Reference::parse(reference).ok_or(AppError::NotFound)?;
    let me = auth.id;
    let row = state
        .db
        .write(move |c| {
            let now = crate::db::now();
            let (s, _) = store::find_for_relay(c, relay, &reference)?.ok_or(AppError::NotFound)?;
            match s.status {
                SignalStatus::Withdrawn => {}
                _ if s.closed_at.is_some() => {
                    return Err(AppError::StateConflict {
                        code: "signal_closed",
                        detail: "This signal is already closed; it can no longer be withdrawn.".into(),
                    });
                }
                _ => {
                    let stale_before = now - Duration::minutes(CLAIM_IDLE_MINUTES);
                    if !case_store::withdraw(c, s.id, now, stale_before)? {
                        return Err(AppError::StateConflict {
                            code: "signal_taken",
                            detail: "The helpline has already taken this signal on; it can no longer be withdrawn. \
                                     Call the helpline to correct it."
                                .into(),
                        });
                    }
                    store::destroy_contact(c, s.id)?;
                    case_store::cancel_pending_deliveries(c, s.id, now)?;
                    audit::record(c, Some(me), Action::SignalWithdrawn, Some(&s.id.to_string()), None)?;
                    tracing::info!("signal withdrawn by its relay point");
                }
            }
            store::find_for_relay(c, relay, &reference)?.ok_or(AppError::NotFound)
        })
        .await?;
    Ok(RelaySignalView::at(row, crate::db::now()))
}

/// A page of the relay point's signals, newest first; the cursor is `created_at|id`.
pub async fn list(
    state: &AppState,
    auth: &AuthUser,
    status: Option<SignalStatus>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<RelaySignalView>, AppError> {
    let relay = relay_of(auth)?;
    let before = after
        .map(|c| {
            let [at, id] = c.parts('|')?;
            Ok::<_, AppError>((Cursor::parse_time(at)?, id.to_string()))
        })
        .transpose()?;
    let rows = state
        .db
        .run(move |c| Ok::<_, AppError>(store::list_for_relay(c, relay, status, before, fetch_limit(limit))?))
        .await?;
    let key = |row: &SignalWithHelpline| {
        Cursor::from_parts(&[&Cursor::time_part(row.0.created_at), &row.0.id.to_string()], '|')
    };
    let now = crate::db::now();
    Ok(Page::from_rows(rows, limit, key).map(|row| RelaySignalView::at(row, now)))
}
