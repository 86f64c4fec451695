//! The retention job, step by step: destroy the contact of closed signals, warn
//! supervisors 24 hours before an open signal's contact reaches its maximum life,
//! expire such signals, minimise closed ones, roll old months up, and purge
//! idempotency records, audit rows and finished deliveries past their retention.
//! Each batch is one transaction; a crash between batches loses nothing and the
//! next run carries on.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;

use super::store::{self, Minimised};
use crate::audit::{self, Action};
use crate::config::Settings;
use crate::db::Db;
use crate::http::error::AppError;
use crate::mail::Mailer;
use crate::mail::retention_templates::expiry_warning;
use crate::signals::service::{cancel_pending_deliveries, destroy_contact};
use crate::stats::model::{day_start, minutes_between};
use crate::stats::service as stats;

/// Rows handled per transaction.
const BATCH: i64 = 200;

/// How long each kind of data is kept (from `Settings`).
#[derive(Debug, Clone)]
pub struct Policy {
    pub contact_retention_days: u32,
    pub rollup_after_months: u32,
    pub audit_retention_days: u32,
    pub delivery_retention_days: u32,
    pub public_url: String,
}

impl Policy {
    pub fn from_settings(s: &Settings) -> Self {
        Self {
            contact_retention_days: s.contact_retention_days,
            rollup_after_months: s.rollup_after_months,
            audit_retention_days: s.audit_retention_days,
            delivery_retention_days: s.delivery_retention_days,
            public_url: s.public_url.clone(),
        }
    }

    fn contact_life(&self) -> Duration {
        Duration::days(i64::from(self.contact_retention_days))
    }
}

/// What one run did: counts only.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Report {
    pub contacts_destroyed: usize,
    pub expiry_warnings: usize,
    pub warning_failures: usize,
    pub expired: usize,
    pub minimised: usize,
    pub rolled_up: usize,
    pub idempotency_purged: usize,
    pub audit_purged: usize,
    pub deliveries_purged: usize,
    /// Coverage rows recorded for today (every programme, by region and status).
    pub coverage_recorded: usize,
}

/// Runs every step once, as of `now`.
pub async fn run(db: &Db, mailer: &Mailer, policy: &Policy, now: NaiveDateTime) -> Result<Report, AppError> {
    let contacts_destroyed = batches(db, "destroy_closed_contacts", |c| {
        let ids = store::closed_with_contact(c, BATCH)?;
        ids.into_iter().try_fold(0, |n, id| Ok::<_, AppError>(n + destroy_contact(c, id)?))
    })
    .await?;
    let mut r = Report { contacts_destroyed, ..Report::default() };
    warn_supervisors(db, mailer, policy, now, &mut r).await?;
    let expire_before = now - policy.contact_life();
    r.expired = batches(db, "expire", move |c| {
        let mut n = 0;
        for id in store::open_filed_before(c, expire_before, BATCH)? {
            if store::expire(c, id, now)? {
                destroy_contact(c, id)?;
                cancel_pending_deliveries(c, id, now)?;
                audit::record(c, None, Action::SignalExpired, Some(&id.to_string()), None)?;
                n += 1;
            }
        }
        Ok(n)
    })
    .await?;
    r.minimised = batches(db, "minimise", |c| {
        let mut n = 0;
        for s in store::to_minimise(c, BATCH)? {
            let closed = s.closed_at.unwrap_or(s.created_at);
            let m = Minimised {
                day: day_start(s.created_at),
                closed_day: day_start(closed),
                minutes_to_first_attempt: s.first_attempt_at.map(|t| minutes_between(s.created_at, t)),
                minutes_to_close: Some(minutes_between(s.created_at, closed)),
            };
            n += store::minimise(c, s.id, &m)?;
        }
        Ok(n)
    })
    .await?;
    let cutoff = stats::rollup_cutoff(now, policy.rollup_after_months);
    r.rolled_up = batches(db, "roll_up", move |c| {
        let ids = stats::roll_up(c, cutoff, BATCH, now)?;
        store::delete_signals(c, &ids)?;
        Ok(ids.len())
    })
    .await?;
    purge(db, policy, now, &mut r).await?;
    let today = chrono::TimeZone::from_utc_datetime(&chrono_tz::Europe::Brussels, &now).date_naive();
    r.coverage_recorded = db.write(move |c| stats::record_coverage(c, today)).await?;
    Ok(r)
}

/// Runs `step` in its own write transaction until it reports nothing done.
async fn batches<F>(db: &Db, name: &'static str, step: F) -> Result<usize, AppError>
where
    F: Fn(&mut crate::db::AnyConnection) -> Result<usize, AppError> + Send + Sync + Clone + 'static,
{
    let mut total = 0;
    loop {
        let step = step.clone();
        let n = db.write(move |c| step(c)).await?;
        tracing::debug!(step = name, rows = n, "retention batch");
        if n == 0 {
            return Ok(total);
        }
        total += n;
    }
}

async fn warn_supervisors(
    db: &Db,
    mailer: &Mailer,
    policy: &Policy,
    now: NaiveDateTime,
    r: &mut Report,
) -> Result<(), AppError> {
    let life = policy.contact_life();
    let (up_to, after) = (now - (life - Duration::hours(24)), now - life);
    let due = db.run(move |c| Ok::<_, AppError>(store::due_for_warning(c, up_to, after, 1000)?)).await?;
    for s in due {
        let (id, helpline) = (s.id, s.helpline_id);
        let claimed = db
            .write(move |c| {
                if !store::claim_warning(c, id, now)? {
                    return Ok::<_, AppError>(None);
                }
                Ok(Some(crate::users::service::helpline_supervisors(c, helpline)?))
            })
            .await?;
        let Some(supervisors) = claimed else { continue };
        let link = format!("{}/console/cases/{}", policy.public_url.trim_end_matches('/'), s.reference.as_str());
        let expires_at = (s.created_at + life).and_utc();
        let (mut sent, mut failed) = (0, 0);
        for (to, language) in supervisors {
            let message = expiry_warning(language, s.reference.as_str(), expires_at, &link);
            match mailer.send(&to, message).await {
                Ok(()) => sent += 1,
                Err(_) => failed += 1,
            }
        }
        tracing::debug!(sent, failed, "expiry warning");
        if sent > 0 {
            r.expiry_warnings += 1;
        } else if failed > 0 {
            // Nobody could be told: give the claim back so the next run retries.
            r.warning_failures += 1;
            let id = s.id;
            db.write(move |c| Ok::<_, AppError>(store::release_warning(c, id)?)).await?;
        }
    }
    Ok(())
}

async fn purge(db: &Db, policy: &Policy, now: NaiveDateTime, r: &mut Report) -> Result<(), AppError> {
    r.idempotency_purged = db.write(move |c| Ok::<_, AppError>(store::purge_idempotency(c, now)?)).await?;
    let audit_before = now - Duration::days(i64::from(policy.audit_retention_days));
    r.audit_purged = db.write(move |c| Ok::<_, AppError>(store::purge_audit(c, audit_before)?)).await?;
    let delivery_before = now - Duration::days(i64::from(policy.delivery_retention_days));
    r.deliveries_purged =
        batches(db, "purge_deliveries", move |c| Ok(store::purge_deliveries(c, delivery_before, BATCH * 5)?)).await?;
    Ok(())
}

/// The job loop inside `serve`: runs now, then every `interval`, until `stop`.
pub async fn run_forever(
    db: Db,
    mailer: Mailer,
    policy: Policy,
    interval: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !*stop.borrow() {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stop.changed() => continue,
        }
        match run(&db, &mailer, &policy, crate::db::now()).await {
            Ok(r) => tracing::info!(
                contacts_destroyed = r.contacts_destroyed,
                expiry_warnings = r.expiry_warnings,
                warning_failures = r.warning_failures,
                expired = r.expired,
                minimised = r.minimised,
                rolled_up = r.rolled_up,
                idempotency_purged = r.idempotency_purged,
                audit_purged = r.audit_purged,
                deliveries_purged = r.deliveries_purged,
                "retention job ran"
            ),
            Err(e) => tracing::warn!(error = %e, "retention job failed; retrying at the next interval"),
        }
    }
}
