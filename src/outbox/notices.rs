//! Change notices: when an admin changes a helpline's webhook, intake e-mail or
//! languages, each of its supervisors gets an e-mail. The notices are rows written
//! in the change's transaction (`routing`) and sent here, by the outbox worker,
//! retried with backoff until the mail server takes them.

use super::model::backoff;
use super::templates::{self, ChannelChange};
use crate::db;
use crate::domain::WebhookUrl;
use crate::http::error::AppError;
use crate::routing::model::ChangeNotice;
use crate::routing::service as routing;
use crate::state::AppState;

/// Notices taken per round.
const BATCH: i64 = 20;

/// Sends the due notices; returns how many were handled.
pub async fn tick(state: &AppState) -> Result<usize, AppError> {
    let now = db::now();
    let lease_until = now + chrono::Duration::seconds(i64::try_from(state.settings.outbox_lease_secs).unwrap_or(120));
    let notices = state.db.write(move |c| routing::claim_due_notices(c, now, lease_until, BATCH)).await?;
    let n = notices.len();
    for notice in notices {
        if let Err(e) = send(state, notice).await {
            tracing::warn!(error = %e, "change notice bookkeeping failed; the lease will expire and it is retried");
        }
    }
    Ok(n)
}

async fn send(state: &AppState, notice: ChangeNotice) -> Result<(), AppError> {
    let helpline_id = notice.helpline;
    let helpline = state.db.run(move |c| routing::get_helpline(c, helpline_id)).await?;
    let origin = helpline.webhook_url.as_deref().map(|u| {
        WebhookUrl::parse(u, crate::domain::WebhookPolicy::Development).map_or_else(|_| "?".into(), |u| u.origin())
    });
    let changed: Vec<&str> = notice.changed.iter().map(|f| f.as_str()).collect();
    let languages = crate::routing::service::join_languages(&helpline.destination.languages);
    let confirm_link = format!(
        "{}/api/v1/helplines/{}/confirm-channels",
        state.settings.public_url.trim_end_matches('/'),
        helpline.id()
    );
    let message = templates::channels_changed(
        notice.language,
        &ChannelChange {
            helpline: &helpline.name,
            changed: &changed,
            webhook_origin: origin.as_deref(),
            intake_email: helpline.intake_email.as_ref().map(|e| e.as_str()),
            languages: &languages,
            changed_at: notice.created_at.and_utc(),
            holds: notice.changed.iter().any(|f| f.is_channel()) && helpline.channels_unconfirmed(),
            confirm_link: &confirm_link,
        },
    );
    let id = notice.id.clone();
    match state.mailer.send(&notice.recipient, message).await {
        Ok(()) => state.db.write(move |c| routing::notice_sent(c, &id)).await,
        Err(e) => {
            tracing::warn!(error = %e, helpline = %helpline.destination.code, "change notice not sent; retried later");
            let attempts = notice.attempts + 1;
            let wait =
                chrono::Duration::from_std(backoff(u32::try_from(notice.attempts).unwrap_or(0))).unwrap_or_default();
            let next = db::truncate_micros(db::now() + wait);
            state.db.write(move |c| routing::notice_failed(c, &id, attempts, next)).await
        }
    }
}
