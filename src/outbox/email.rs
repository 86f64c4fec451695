//! The e-mail channel: a notification to the helpline's intake address (no contact
//! unless the helpline asked for it). Alerts to supervisors go through
//! `staff_alerts`.

use super::delivery::Context;
use super::model::Attempt;
use super::templates::{self as helpline_templates, Notification, helpline_language};
use crate::mail::MailError;
use crate::signals::model::Urgency;
use crate::state::AppState;

/// Link to a case in the API (helplines' tools open it with their token).
pub fn case_link(state: &AppState, reference: &str) -> String {
    format!("{}/console/cases/{reference}", state.settings.public_url.trim_end_matches('/'))
}

pub async fn send(state: &AppState, ctx: &Context) -> Attempt {
    let Some(to) = ctx.helpline.intake_email.clone() else {
        return Attempt::Permanent("no valid intake address".into());
    };
    let s = &ctx.signal;
    let link = case_link(state, s.reference.as_str());
    let message = helpline_templates::signal_notification(
        helpline_language(&ctx.helpline.destination.languages),
        &Notification {
            reference: s.reference.as_str(),
            urgent: s.urgency == Urgency::ImmediateDanger,
            language: s.language.as_str(),
            municipality: &ctx.municipality,
            relay_kind: s.relay_kind.as_str(),
            created_at: s.created_at.and_utc(),
            link: &link,
        },
    );
    match state.mailer.send(&to, message).await {
        Ok(()) => Attempt::Delivered,
        Err(MailError::Send(_)) => Attempt::Retry("smtp: sending failed".into()),
        Err(MailError::Config(_)) | Err(MailError::Build) => Attempt::Permanent("mail configuration".into()),
    }
}
