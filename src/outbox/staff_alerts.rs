//! Alerts to staff through a durable queue, the `staff_alerts` table: an
//! escalation, a dead-lettered delivery, a relay point past the hourly limit with
//! immediate danger, a signal no routing rule covered. Each alert is rendered and
//! written in the transaction of the change it reports (a signal is marked
//! escalated in the same transaction that queues its alerts), and sent here, by the
//! outbox worker, never inline: a mail server that is down delays an alert instead
//! of losing it.
//!
//! Retry schedule: the same backoff as deliveries (about a second, doubling, at most
//! ten minutes apart, with jitter), for [`give_up_after`] — three days, or three
//! times the delivery deadline if that is longer. An alert is usually queued *at*
//! the delivery deadline (a dead letter), so it must outlive an outage longer than
//! that deadline; while retrying, a mail server back after an outage receives
//! every alert within ten minutes. Past that it is marked `dead` with a warning in
//! the log and `saferelay_alerts_dead_total` counts it. A crash between sending and
//! recording leaves the row leased; when the lease runs out it is sent again.
//! Finished rows are deleted after a day.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::backoff;
use crate::db::schema::staff_alerts;
use crate::db::{self, AnyConnection};
use crate::domain::{Email, StaffLanguage};
use crate::http::error::AppError;
use crate::mail::{MailError, Rendered};
use crate::state::AppState;

const BATCH: i64 = 20;
const KEEP_FINISHED_HOURS: i64 = 24;
/// The shortest time an alert is retried for.
const MIN_RETRY_HOURS: i64 = 72;

/// How long an alert is retried before it is given up: three days, or three times
/// the delivery deadline if that is longer.
pub fn give_up_after(delivery_deadline_minutes: u64) -> chrono::Duration {
    let deadline = i64::try_from(delivery_deadline_minutes).unwrap_or(60).saturating_mul(3);
    chrono::Duration::hours(MIN_RETRY_HOURS).max(chrono::Duration::minutes(deadline))
}

#[derive(Insertable)]
#[diesel(table_name = staff_alerts)]
struct NewRow<'a> {
    id: String,
    kind: &'a str,
    recipient: &'a str,
    language: &'a str,
    subject: &'a str,
    body: &'a str,
    status: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = staff_alerts)]
struct Row {
    id: String,
    kind: String,
    recipient: String,
    subject: String,
    body: String,
    attempts: i32,
    created_at: NaiveDateTime,
}

/// Queues one alert per recipient, each rendered in the recipient's language, due
/// now. Call inside the transaction of the change the alert reports.
pub fn queue(
    c: &mut AnyConnection,
    recipients: &[(Email, StaffLanguage)],
    render: impl Fn(StaffLanguage) -> Rendered,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    for (to, language) in recipients {
        let message = render(*language);
        diesel::insert_into(staff_alerts::table)
            .values(&NewRow {
                id: uuid::Uuid::new_v4().to_string(),
                kind: message.kind,
                recipient: to.as_str(),
                language: language.as_str(),
                subject: &message.subject,
                body: &message.body,
                status: "pending",
                attempts: 0,
                next_attempt_at: now,
                created_at: now,
            })
            .execute(c)?;
    }
    Ok(recipients.len())
}

/// Queues alerts already rendered (`(recipient, language, message)`).
pub fn queue_rendered(
    c: &mut AnyConnection,
    alerts: &[(Email, StaffLanguage, Rendered)],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for (to, language, message) in alerts {
        let one = [(to.clone(), *language)];
        queue(c, &one, |_| message.clone(), now)?;
    }
    Ok(())
}

/// The kinds of alert, as `'static` names for the mail log.
fn kind_name(kind: &str) -> &'static str {
    match kind {
        "escalation" => "escalation",
        "delivery_failed" => "delivery_failed",
        "danger_over_limit" => "danger_over_limit",
        "missing_rule" => "missing_rule",
        _ => "staff_alert",
    }
}

/// One round: lease due alerts, send them, record the results; returns how many.
pub async fn tick(state: &AppState) -> Result<usize, AppError> {
    let now = db::now();
    let lease_until = now + chrono::Duration::seconds(i64::try_from(state.settings.outbox_lease_secs).unwrap_or(120));
    let rows = state.db.write(move |c| Ok::<_, AppError>(claim_due(c, now, lease_until)?)).await?;
    let n = rows.len();
    for row in rows {
        if let Err(e) = send(state, row).await {
            tracing::warn!(error = %e, "staff alert bookkeeping failed; the lease will expire and it is retried");
        }
    }
    Ok(n)
}

async fn send(state: &AppState, row: Row) -> Result<(), AppError> {
    let kind = kind_name(&row.kind);
    let sent = match Email::parse(&row.recipient) {
        Ok(to) => {
            let message = Rendered { kind, subject: row.subject.clone(), body: row.body.clone() };
            state.mailer.send(&to, message).await
        }
        Err(_) => Err(MailError::Build),
    };
    let now = db::now();
    let expired = now - row.created_at >= give_up_after(state.settings.delivery_deadline_minutes);
    let (status, next, error) = match sent {
        Ok(()) => ("sent", now, None),
        Err(MailError::Send(_)) if !expired => {
            let wait =
                chrono::Duration::from_std(backoff(u32::try_from(row.attempts).unwrap_or(0))).unwrap_or_default();
            ("pending", db::truncate_micros(now + wait), Some("smtp: sending failed"))
        }
        Err(MailError::Send(_)) => ("dead", now, Some("smtp: sending failed")),
        Err(_) => ("dead", now, Some("mail configuration")),
    };
    let attempts = row.attempts + 1;
    if status == "dead" {
        state.metrics.alerts_dead.inc();
        tracing::warn!(kind, attempts, "staff alert given up");
    } else {
        tracing::info!(kind, status, attempts, "staff alert");
    }
    let id = row.id;
    state.db.write(move |c| Ok::<_, AppError>(record_attempt(c, &id, (status, next, error), attempts, now)?)).await
}

super::mail_queue::mail_queue_queries!(staff_alerts, Row, BATCH, KEEP_FINISHED_HOURS);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_outlive_the_delivery_deadline() {
        assert_eq!(give_up_after(60), chrono::Duration::hours(72));
        assert_eq!(give_up_after(60 * 48), chrono::Duration::hours(144));
        assert!(give_up_after(0) > chrono::Duration::minutes(60));
    }
}
