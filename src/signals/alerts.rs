//! Alerts about filed signals: a relay point past the hourly limit with immediate
//! danger, and a signal no routing rule covered. They are rendered before the
//! signal's write and queued in its transaction (`outbox::staff_alerts`), so the
//! signal and its alerts are filed together, and the outbox worker sends them,
//! retrying through a mail server outage. Relay point, region and language only.

use crate::db::AnyConnection;
use crate::domain::{Email, Language, ProgrammeId, Region, StaffLanguage};
use crate::http::error::AppError;
use crate::mail::Rendered;

/// Something about a filed signal that people must hear of.
pub enum Alert {
    /// A relay point passed the hourly limit with an immediate-danger signal: its
    /// programme's managers are told.
    DangerOverLimit { programme: ProgrammeId, relay_name: String, limit: i64 },
    /// No routing rule covers the relay's area and the callback language: the
    /// programme's managers and the admins are told, so that one is added.
    MissingRule { programme: ProgrammeId, relay_name: String, region: Region, language: Language },
}

/// The e-mails an alert sends, one per recipient in their language.
pub fn render(c: &mut AnyConnection, alert: &Alert) -> Result<Vec<(Email, StaffLanguage, Rendered)>, AppError> {
    let (programme, admins_too) = match alert {
        Alert::DangerOverLimit { programme, .. } => (*programme, false),
        Alert::MissingRule { programme, .. } => (*programme, true),
    };
    let mut recipients = crate::users::service::programme_managers(c, programme)?;
    if admins_too {
        recipients.extend(crate::users::service::admins(c)?);
    }
    Ok(recipients
        .into_iter()
        .map(|(to, language)| {
            let message = match alert {
                Alert::DangerOverLimit { relay_name, limit, .. } => {
                    super::templates::danger_over_limit(language, relay_name, *limit)
                }
                Alert::MissingRule { relay_name, region, language: callback, .. } => {
                    super::templates::missing_rule(language, relay_name, *region, *callback)
                }
            };
            (to, language, message)
        })
        .collect())
}

/// The log line of an alert queued with its signal.
pub fn log(alert: &Alert) {
    match alert {
        Alert::DangerOverLimit { .. } => {
            tracing::warn!(
                "a relay point passed the hourly limit with immediate-danger signals; managers' alerts queued"
            );
        }
        Alert::MissingRule { .. } => {
            tracing::warn!("no routing rule covers a signal; managers' and admins' alerts queued");
        }
    }
}
