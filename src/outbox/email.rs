//! The e-mail channel: a notification to the helpline's intake address (no contact
//! unless the helpline asked for it), and the alert to supervisors when a delivery
//! is dead-lettered.

use super::delivery::Context;
use super::model::Attempt;
use super::templates::{self as helpline_templates, Notification, helpline_language};
use crate::domain::{HelplineId, StaffLanguage};
use crate::mail::{MailError, Rendered};
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

/// E-mails every active supervisor of the helpline; failures are logged, not retried.
pub async fn to_supervisors(state: &AppState, helpline: HelplineId, render: impl Fn(StaffLanguage) -> Rendered) {
    let supervisors = match state.db.run(move |c| crate::users::service::helpline_supervisors(c, helpline)).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "could not read supervisors");
            return;
        }
    };
    for (to, language) in supervisors {
        let message = render(language);
        if let Err(e) = state.mailer.send(&to, message).await {
            tracing::warn!(error = %e, "supervisor alert not sent");
        }
    }
}

pub async fn alert_dead_letter(state: &AppState, ctx: &Context) {
    let link = case_link(state, ctx.signal.reference.as_str());
    let (reference, channel) = (ctx.signal.reference.as_str().to_string(), ctx.row.channel.clone());
    to_supervisors(state, ctx.signal.helpline_id, |lang| {
        helpline_templates::delivery_failed(lang, &reference, &channel, &link)
    })
    .await;
}
