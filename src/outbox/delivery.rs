//! What one delivery needs, read in one go: the outbox row, the signal, its
//! helpline's channels, the relay point's municipality and the contact (for the
//! webhook), used by the worker and by each channel.

use super::model::Delivery;
use crate::http::error::AppError;
use crate::routing::service::{self as routing, Helpline};
use crate::signals::model::{Contact, Signal};
use crate::signals::service as signals;
use crate::state::AppState;

/// What a delivery needs, read in one go.
pub struct Context {
    pub row: Delivery,
    pub signal: Signal,
    pub helpline: Helpline,
    pub municipality: String,
    pub contact: Option<Contact>,
    /// The webhook signing secret, opened; `None` without one or when it cannot be
    /// opened (its master key is not configured: the delivery is dead-lettered).
    pub webhook_secret: Option<zeroize::Zeroizing<String>>,
}

pub async fn load(state: &AppState, row: Delivery) -> Result<Context, AppError> {
    let keys = state.master_keys.clone();
    state
        .db
        .run(move |c| {
            let (signal_id, helpline_id) = (row.signal_id, row.helpline_id);
            let signal = signals::find_by_id(c, signal_id)?.ok_or(AppError::NotFound)?;
            let helpline = routing::find_helpline(c, helpline_id)?.ok_or(AppError::NotFound)?;
            let municipality = signals::relay_municipality(c, signal_id)?;
            let contact = signals::read_contact(&keys, c, signal_id)?;
            let webhook_secret = match row.channel.as_str() {
                "webhook" => routing::open_webhook_secret(&keys, &helpline).unwrap_or_else(|e| {
                    tracing::warn!(error = %e, helpline = %helpline.destination.code, "webhook secret cannot be opened");
                    None
                }),
                _ => None,
            };
            Ok(Context { row, signal, helpline, municipality, contact, webhook_secret })
        })
        .await
}
