//! What other capabilities may do with the outbox.

use chrono::NaiveDateTime;

use super::store;
use crate::db::AnyConnection;
use crate::domain::HelplineId;
use crate::http::error::AppError;

/// Sends a helpline's held deliveries (its supervisors confirmed its new channels)
/// at once; returns how many there were.
pub fn release_held(conn: &mut AnyConnection, helpline: HelplineId, now: NaiveDateTime) -> Result<usize, AppError> {
    Ok(store::release_held(conn, helpline, now)?)
}
