//! Escalation: a signal nobody has claimed or called after 15 minutes of the
//! helpline's opening time (immediate danger) or 4 hours (standard) is e-mailed to
//! the helpline's supervisors, once. The signal is marked escalated in the
//! transaction that queues the supervisors' alerts (`outbox::staff_alerts`): the
//! outbox worker sends them, retrying through a mail server outage.

use std::time::Duration;

use actix_web::web;
use chrono::Utc;

use super::model::claim_holds;
use crate::db;
use crate::http::error::AppError;
use crate::outbox::email::case_link;
use crate::outbox::staff_alerts;
use crate::outbox::templates as helpline_templates;
use crate::routing::hours::open_minutes;
use crate::routing::service::Helpline;
use crate::signals::model::Urgency;
use crate::signals::service::{escalation_candidates, mark_escalated};
use crate::state::AppState;

/// Opening-time minutes after which an unclaimed signal escalates.
pub fn threshold_minutes(urgency: Urgency) -> i64 {
    if urgency == Urgency::ImmediateDanger { 15 } else { 240 }
}

/// One pass: returns the references escalated.
pub async fn run_once(state: &AppState) -> Result<Vec<String>, AppError> {
    let now = db::now();
    let (signals, helplines) = state
        .db
        .run(|c| {
            let s = escalation_candidates(c)?;
            let (_, h) = crate::routing::service::load_network(c)?;
            Ok::<_, AppError>((s, h))
        })
        .await?;
    let mut escalated = Vec::new();
    for s in signals.into_iter().filter(|s| s.claimed_by.is_none() || !claim_holds(s.claim_activity_at, now)) {
        let Some(h): Option<&Helpline> = helplines.iter().find(|h| h.destination.id == s.helpline_id) else { continue };
        let limit = threshold_minutes(s.urgency);
        let d = &h.destination;
        if open_minutes(&d.hours, d.time_zone, s.created_at.and_utc(), Utc::now(), limit) < limit {
            continue;
        }
        let (id, helpline) = (s.id, s.helpline_id);
        let link = case_link(state, s.reference.as_str());
        let urgent = s.urgency == Urgency::ImmediateDanger;
        let reference = s.reference.as_str().to_string();
        let queued = state
            .db
            .write(move |c| {
                if !mark_escalated(c, id, now)? {
                    return Ok::<_, AppError>(None);
                }
                let supervisors = crate::users::service::helpline_supervisors(c, helpline)?;
                let n = staff_alerts::queue(
                    c,
                    &supervisors,
                    |lang| helpline_templates::escalation(lang, &reference, urgent, limit, &link),
                    now,
                )?;
                Ok(Some(n))
            })
            .await?;
        let Some(alerts) = queued else { continue };
        tracing::warn!(helpline = %h.destination.code, urgent, alerts, "unclaimed signal escalated; supervisors' alerts queued");
        escalated.push(s.reference.as_str().to_string());
    }
    Ok(escalated)
}

/// Runs every `escalation_interval_secs` until `stop`.
pub async fn run(state: web::Data<AppState>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let every = Duration::from_secs(state.settings.escalation_interval_secs.max(1));
    while !*stop.borrow() {
        if let Err(e) = run_once(&state).await {
            tracing::warn!(error = %e, "escalation pass failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
}
