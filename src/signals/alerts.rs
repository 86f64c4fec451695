//! Alerts about filed signals, sent after the commit (the signal itself is filed
//! either way): a relay point past the hourly limit with immediate danger, and a
//! signal no routing rule covered. Relay point, region and language only.

use crate::domain::{Language, ProgrammeId, Region};
use crate::http::error::AppError;
use crate::state::AppState;

/// Something about a filed signal that people must hear of (after the commit; the
/// signal itself is filed either way).
pub enum Alert {
    /// A relay point passed the hourly limit with an immediate-danger signal: its
    /// programme's managers are told.
    DangerOverLimit { programme: ProgrammeId, relay_name: String, limit: i64 },
    /// No routing rule covers the relay's area and the callback language: the
    /// programme's managers and the admins are told, so that one is added.
    MissingRule { programme: ProgrammeId, relay_name: String, region: Region, language: Language },
}

pub async fn tell(state: &AppState, alert: Alert) {
    let (programme, admins_too) = match &alert {
        Alert::DangerOverLimit { programme, .. } => {
            tracing::warn!("a relay point passed the hourly limit with immediate-danger signals; managers told");
            (*programme, false)
        }
        Alert::MissingRule { programme, .. } => {
            tracing::warn!("no routing rule covers a signal; managers and admins told");
            (*programme, true)
        }
    };
    let recipients = state
        .db
        .run(move |c| {
            let mut to = crate::users::service::programme_managers(c, programme)?;
            if admins_too {
                to.extend(crate::users::service::admins(c)?);
            }
            Ok::<_, AppError>(to)
        })
        .await;
    let recipients = match recipients {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "could not read whom to alert");
            return;
        }
    };
    for (to, language) in recipients {
        let message = match &alert {
            Alert::DangerOverLimit { relay_name, limit, .. } => {
                super::templates::danger_over_limit(language, relay_name, *limit)
            }
            Alert::MissingRule { relay_name, region, language: callback, .. } => {
                super::templates::missing_rule(language, relay_name, *region, *callback)
            }
        };
        if let Err(e) = state.mailer.send(&to, message).await {
            tracing::warn!(error = %e, "alert not sent");
        }
    }
}
