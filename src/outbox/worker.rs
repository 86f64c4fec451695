//! The outbox worker: takes due deliveries, sends them through their channel, and
//! records the result — delivered, retried later with backoff, or dead-lettered
//! after the deadline. A crash between sending and recording leaves the row leased;
//! when the lease runs out it is sent again (at-least-once: receivers de-duplicate
//! on the delivery id).

use std::time::Duration;

use actix_web::web;
use chrono::NaiveDateTime;

use super::delivery::{Context, load};
use super::model::Delivery;
use super::model::{Attempt, backoff};
use super::store::{self, NewDeliveryAttempt};
use super::webhook::{self, Payload};
use crate::db;
use crate::domain::WebhookUrl;
use crate::http::error::AppError;
use crate::state::AppState;

/// Rows taken per round.
const BATCH: i64 = 20;

/// Runs until `stop` turns true; checks for work every poll interval when idle.
pub async fn run(state: web::Data<AppState>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let timeout = Duration::from_secs(state.settings.webhook_timeout_secs);
    let http = match crate::net::webhook_client(timeout, state.settings.webhook_policy()) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "outbox worker cannot build its HTTP client; deliveries stop");
            return;
        }
    };
    let idle = Duration::from_millis(state.settings.outbox_poll_millis);
    while !*stop.borrow() {
        let worked = match tick(&state, &http).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "outbox round failed");
                0
            }
        };
        if worked == 0 {
            tokio::select! {
                _ = tokio::time::sleep(idle) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// One round: lease due rows, deliver them, record the results. Returns the number
/// of rows handled.
pub async fn tick(state: &AppState, http: &reqwest::Client) -> Result<usize, AppError> {
    let now = db::now();
    let lease_until = now + chrono::Duration::seconds(i64::try_from(state.settings.outbox_lease_secs).unwrap_or(120));
    let rows = state.db.write(move |c| Ok::<_, AppError>(store::claim_due(c, now, lease_until, BATCH)?)).await?;
    let notices = super::notices::tick(state).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "change notices round failed");
        0
    });
    let alerts = super::staff_alerts::tick(state).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "staff alerts round failed");
        0
    });
    let pushes = crate::push::service::tick(state, http).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "push round failed");
        0
    });
    let n = rows.len() + notices + alerts + pushes;
    let deliveries = rows.into_iter().map(|row| deliver(state, http, row));
    for result in futures_util::future::join_all(deliveries).await {
        if let Err(e) = result {
            tracing::warn!(error = %e, "delivery bookkeeping failed; the lease will expire and it is retried");
        }
    }
    Ok(n)
}

async fn send(state: &AppState, http: &reqwest::Client, ctx: &Context) -> Attempt {
    match ctx.row.channel.as_str() {
        "webhook" => {
            let (Some(url), Some(secret)) = (&ctx.helpline.webhook_url, &ctx.webhook_secret) else {
                return Attempt::Permanent("webhook not configured, or its secret cannot be opened".into());
            };
            // Checked again at each delivery: the policy may be stricter than when the
            // URL was set (a development database run in production).
            let Ok(url) = WebhookUrl::parse(url, state.settings.webhook_policy()) else {
                return Attempt::Permanent("webhook URL refused".into());
            };
            let url = url.as_str();
            let s = &ctx.signal;
            let payload = Payload {
                delivery_id: &ctx.row.id,
                event: &ctx.row.event,
                reference: s.reference.as_str(),
                urgency: s.urgency.as_str(),
                language: s.language.as_str(),
                region: s.region.as_str(),
                municipality: &ctx.municipality,
                relay_kind: s.relay_kind.as_str(),
                relay_training_status: s.relay_training_status.as_str(),
                helpline_code: &ctx.helpline.destination.code,
                created_at: s.created_at.and_utc(),
                expected_callback_at: s.expected_callback_at.and_utc(),
                contact: ctx.contact.as_ref(),
            };
            webhook::send(http, url, secret, &payload).await
        }
        "email" => super::email::send(state, ctx).await,
        _ => Attempt::Permanent("unknown channel".into()),
    }
}

async fn deliver(state: &AppState, http: &reqwest::Client, row: Delivery) -> Result<(), AppError> {
    let ctx = load(state, row).await?;
    // The helpline's channels changed after this signal was filed, and no supervisor
    // confirmed the change yet: the delivery waits for them.
    if ctx.helpline.holds_deliveries_filed_at(ctx.signal.created_at) {
        let id = ctx.row.id.clone();
        state.db.write(move |c| Ok::<_, AppError>(store::hold(c, &id, db::now())?)).await?;
        tracing::warn!(delivery = %ctx.row.id, channel = %ctx.row.channel, helpline = %ctx.helpline.destination.code, "delivery held until a supervisor confirms the helpline's new channels");
        return Ok(());
    }
    let attempt = send(state, http, &ctx).await;
    let now = db::now();
    let attempts = ctx.row.attempts + 1;
    let deadline = chrono::Duration::minutes(i64::try_from(state.settings.delivery_deadline_minutes).unwrap_or(60));
    let expired = now - ctx.row.created_at >= deadline;
    let (status, next, error): (&str, NaiveDateTime, Option<String>) = match &attempt {
        Attempt::Delivered => ("delivered", now, None),
        Attempt::Retry(d) if !expired => {
            let wait =
                chrono::Duration::from_std(backoff(u32::try_from(ctx.row.attempts).unwrap_or(0))).unwrap_or_default();
            ("pending", db::truncate_micros(now + wait), Some(d.clone()))
        }
        Attempt::Retry(d) | Attempt::Permanent(d) => ("dead", now, Some(d.clone())),
    };
    let (id, signal_id, outcome) = (ctx.row.id.clone(), ctx.row.signal_id, attempt.outcome());
    let err = error.clone();
    let (helpline_id, reference, channel) =
        (ctx.signal.helpline_id, ctx.signal.reference.as_str().to_string(), ctx.row.channel.clone());
    let link = super::email::case_link(state, &reference);
    state
        .db
        .write(move |c| {
            store::record_attempt(
                c,
                &NewDeliveryAttempt {
                    id: uuid::Uuid::new_v4().to_string(),
                    outbox_id: &id,
                    attempted_at: now,
                    outcome,
                    detail: err.as_deref(),
                },
            )?;
            let finished = store::finish(c, &id, status, attempts, next, err.as_deref(), now)?;
            if finished && status == "delivered" {
                crate::signals::service::mark_forwarded(c, signal_id, now)?;
            }
            // The supervisors' alert is queued with the dead letter, in its transaction.
            if finished && status == "dead" {
                let supervisors = crate::users::service::helpline_supervisors(c, helpline_id)?;
                super::staff_alerts::queue(
                    c,
                    &supervisors,
                    |lang| super::templates::delivery_failed(lang, &reference, &channel, &link),
                    now,
                )?;
            }
            Ok::<_, AppError>(())
        })
        .await?;
    tracing::info!(delivery = %ctx.row.id, channel = %ctx.row.channel, helpline = %ctx.helpline.destination.code, outcome, attempts, "delivery attempt");
    if status == "dead" {
        tracing::warn!(delivery = %ctx.row.id, channel = %ctx.row.channel, helpline = %ctx.helpline.destination.code, "delivery dead-lettered; supervisors' alert queued");
    }
    Ok(())
}
