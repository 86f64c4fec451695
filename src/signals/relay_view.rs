//! What relays may see of their signals: status only, never contact or outcome.

use crate::domain::{RelayPointId, Role};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{Reference, SignalStatus, Urgency};
use super::store::{self, SignalWithHelpline};
use crate::http::error::AppError;
use crate::http::pagination::{Cursor, Page, fetch_limit};
use crate::state::AppState;
use crate::users::caller::AuthUser;

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
