//! What one delivery needs, read in one go: the outbox row, the signal, its
//! helpline's channels, the relay point's municipality and the contact (for the
//! webhook), used by the worker and by each channel.

use super::store::{self, OutboxRow};
use crate::domain::{HelplineId, SignalId};
use crate::http::error::AppError;
use crate::routing::service::{self as routing, Helpline};
use crate::signals::model::{Contact, Signal};
use crate::signals::service as signals;
use crate::state::AppState;

/// What a delivery needs, read in one go.
pub struct Context {
    pub row: OutboxRow,
    pub signal: Signal,
    pub helpline: Helpline,
    pub municipality: String,
    pub contact: Option<Contact>,
}

pub async fn load(state: &AppState, row: OutboxRow) -> Result<Context, AppError> {
    let keys = state.master_keys.clone();
    state
        .db
        .run(move |c| {
            let signal_id =
                SignalId::parse(&row.signal_id).ok_or_else(|| AppError::internal("corrupt outbox.signal_id"))?;
            let helpline_id =
                HelplineId::parse(&row.helpline_id).ok_or_else(|| AppError::internal("corrupt outbox.helpline_id"))?;
            let signal = signals::find_by_id(c, signal_id)?.ok_or(AppError::NotFound)?;
            let helpline = routing::find_helpline(c, helpline_id)?.ok_or(AppError::NotFound)?;
            let municipality = store::municipality(c, &row.signal_id)?;
            let contact = signals::read_contact(&keys, c, signal_id)?;
            Ok(Context { row, signal, helpline, municipality, contact })
        })
        .await
}
