//! The reminder job: e-mails staff whose required training expires within 30 days
//! (once per expiry: a row in `training_reminders` is claimed before sending and
//! given back if sending fails), and sends each programme's managers a weekly
//! digest of relay points that became `expiring` or `lapsed` since the last one.
//! Runs inside `serve` every `SAFERELAY_REMINDER_INTERVAL_SECS` and on demand with
//! `saferelay remind`.

use crate::domain::TrainingStatus;
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::model::{EXPIRING_WINDOW_DAYS, ExpiringTraining};
use super::reminder_store as store;
use super::status::programme_statuses;
use crate::db::{self, Db};
use crate::http::error::AppError;
use crate::mail::Mailer;
use crate::mail::templates::{self, DigestLine};

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    pub reminders_sent: usize,
    pub digests_sent: usize,
    pub failures: usize,
}

/// Runs the job for `today`.
pub async fn run(db: &Db, mailer: &Mailer, today: NaiveDate) -> Result<RunReport, AppError> {
    let mut report = RunReport::default();
    remind_staff(db, mailer, today, &mut report).await?;
    send_digests(db, mailer, today, &mut report).await?;
    Ok(report)
}

async fn remind_staff(db: &Db, mailer: &Mailer, today: NaiveDate, report: &mut RunReport) -> Result<(), AppError> {
    let until = today + Duration::days(EXPIRING_WINDOW_DAYS);
    let rows = db
        .run(move |c| {
            let rows = store::expiring(c, today, until)?;
            // Keep only each pair's latest expiry: a renewed module needs no reminder.
            let mut kept = Vec::new();
            for r in rows {
                if store::latest_expiry(c, r.user_id, r.module_id)? == Some(r.expires_on) {
                    kept.push(r);
                }
            }
            Ok::<_, AppError>(kept)
        })
        .await?;
    let mut by_user: BTreeMap<String, Vec<ExpiringTraining>> = BTreeMap::new();
    for r in rows {
        // Keyed by the id's text: people are reminded in the same order as before.
        by_user.entry(r.user_id.to_string()).or_default().push(r);
    }
    for (_, rows) in by_user {
        let claim = rows.clone();
        let claimed: Vec<ExpiringTraining> = db
            .write(move |c| {
                let now = db::now();
                let mut claimed = Vec::new();
                for r in claim {
                    if store::claim_reminder(c, r.user_id, r.module_id, r.expires_on, now)? {
                        claimed.push(r);
                    }
                }
                Ok::<_, AppError>(claimed)
            })
            .await?;
        let Some(first) = claimed.first() else { continue };
        let modules: Vec<(String, NaiveDate)> =
            claimed.iter().map(|r| (r.module_title.clone(), r.expires_on)).collect();
        let message = templates::training_reminder(first.language, &first.relay_name, &modules);
        if mailer.send(&first.email, message).await.is_ok() {
            report.reminders_sent += 1;
        } else {
            report.failures += 1;
            db.write(move |c| {
                for r in &claimed {
                    store::release_reminder(c, r.user_id, r.module_id, r.expires_on)?;
                }
                Ok::<_, AppError>(())
            })
            .await?;
        }
    }
    Ok(())
}

/// ISO week label, e.g. `2026-W48`.
pub fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

async fn send_digests(db: &Db, mailer: &Mailer, today: NaiveDate, report: &mut RunReport) -> Result<(), AppError> {
    let week = iso_week(today);
    let programmes = db.run(|c| store::programmes(c).map_err(AppError::from)).await?;
    for (programme, programme_name) in programmes {
        let w = week.clone();
        let (lines, snapshots, managers, already) = db
            .run(move |c| {
                let statuses = programme_statuses(c, programme, today)?;
                let mut lines = Vec::new();
                let mut snapshots = Vec::new();
                for relay in store::relays_with_snapshot(c, programme)? {
                    let status = statuses.of(relay.relay_point_id);
                    let changed = relay.previous != Some(status);
                    if changed && matches!(status, TrainingStatus::Expiring | TrainingStatus::Lapsed) {
                        lines.push(DigestLine {
                            relay_name: relay.name,
                            municipality: relay.municipality,
                            status: status.as_str(),
                        });
                    }
                    if changed {
                        snapshots.push((relay.relay_point_id, status));
                    }
                }
                Ok::<_, AppError>((
                    lines,
                    snapshots,
                    store::managers(c, programme)?,
                    store::digest_sent(c, programme, &w)?,
                ))
            })
            .await?;
        if lines.is_empty() {
            // Nothing to report; remember improvements so that a later lapse shows.
            db.write(move |c| store::save_snapshots(c, &snapshots, today).map_err(AppError::from)).await?;
            continue;
        }
        if already || managers.is_empty() {
            continue; // keep the changes for next week's digest
        }
        let mut sent_any = false;
        for (email, language) in &managers {
            let message = templates::manager_digest(*language, &programme_name, &lines);
            match mailer.send(email, message).await {
                Ok(()) => sent_any = true,
                Err(_) => report.failures += 1,
            }
        }
        if sent_any {
            report.digests_sent += 1;
            let w = week.clone();
            db.write(move |c| {
                store::record_digest(c, programme, &w, db::now())?;
                store::save_snapshots(c, &snapshots, today).map_err(AppError::from)
            })
            .await?;
        }
    }
    Ok(())
}

/// The job loop inside `serve`: runs now, then every `interval`.
pub async fn run_forever(db: Db, mailer: Mailer, interval: std::time::Duration) {
    let mut ticker = tokio::time::interval(interval);
    loop {
        ticker.tick().await;
        match run(&db, &mailer, crate::domain::today()).await {
            Ok(r) => tracing::info!(
                reminders = r.reminders_sent,
                digests = r.digests_sent,
                failures = r.failures,
                "reminder job ran"
            ),
            Err(e) => tracing::warn!(error = %e, "reminder job failed; retrying at the next interval"),
        }
    }
}
