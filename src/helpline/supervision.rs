//! What a helpline supervisor oversees: who holds which claim since when, the
//! helpline's staff (to reassign to), and the helpline's figures with small cells
//! suppressed by the statistics' rule (`stats::model::suppress`).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Europe::Brussels;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::CLAIM_IDLE_MINUTES;
use crate::db;
use crate::domain::{HelplineId, Role, UserId};
use crate::http::error::AppError;
use crate::signals::service as signals;
use crate::state::AppState;
use crate::stats::model::{Cell, Histogram, minutes_between, suppress};
use crate::stats::report::{BreakdownCell, MIN_FOR_TIMES, Times};
use crate::users::caller::AuthUser;

/// Days the helpline's figures cover (today included, Europe/Brussels).
pub const FIGURE_DAYS: i64 = 14;

/// The helpline a supervisor oversees; 403 for every other role.
fn supervised(auth: &AuthUser) -> Result<HelplineId, AppError> {
    auth.require(&[Role::HelplineSupervisor])?;
    auth.scope.helpline_id.ok_or(AppError::Forbidden)
}

/// A live claim.
pub struct ClaimHeld {
    pub reference: String,
    pub holder: UserId,
    /// When the holder claimed it or was given it (absent if not recorded).
    pub since: Option<DateTime<Utc>>,
    pub last_activity: DateTime<Utc>,
    pub urgent: bool,
}

/// The live claims on the helpline's open signals, oldest activity first.
pub async fn claims(state: &AppState, auth: &AuthUser) -> Result<Vec<ClaimHeld>, AppError> {
    let helpline = supervised(auth)?;
    state
        .db
        .run(move |c| {
            let now = db::now();
            let live_since = now - Duration::minutes(CLAIM_IDLE_MINUTES);
            let rows = signals::queue_by_claim(c, helpline, true, signals::ClaimScope::Any, live_since, None, 1000)?;
            let live: Vec<_> = rows.into_iter().map(|(s, _)| s).filter(|s| s.claim_is_live(now)).collect();
            let ids: Vec<String> = live.iter().map(|s| s.id.to_string()).collect();
            let starts = crate::audit::service::claim_starts(c, &ids)?;
            let mut held: Vec<ClaimHeld> = live
                .into_iter()
                .filter_map(|s| {
                    let holder = s.claimed_by?;
                    let since = starts
                        .iter()
                        .rev()
                        .find(|(sig, who, _)| *sig == s.id.to_string() && *who == holder.to_string())
                        .map(|(_, _, at)| at.and_utc());
                    Some(ClaimHeld {
                        reference: s.reference.as_str().to_string(),
                        holder,
                        since,
                        last_activity: s.claim_activity_at?.and_utc(),
                        urgent: s.urgency.as_str() == "immediate_danger",
                    })
                })
                .collect();
            held.sort_by_key(|h| h.last_activity);
            Ok(held)
        })
        .await
}

/// The helpline's active operators and supervisors: (id, e-mail), by e-mail.
pub async fn staff(state: &AppState, auth: &AuthUser) -> Result<Vec<(UserId, String)>, AppError> {
    let helpline = supervised(auth)?;
    let users = state.db.run(move |c| crate::users::service::helpline_staff(c, helpline)).await?;
    Ok(users.into_iter().map(|u| (u.id, u.email.as_str().to_string())).collect())
}

/// Signals filed on one day.
#[derive(Serialize, ToSchema)]
pub struct DayCount {
    /// `YYYY-MM-DD`, Europe/Brussels.
    pub day: NaiveDate,
    /// A number, or `"<5"`.
    pub signals: Cell,
}

/// A helpline's recent figures, small cells suppressed as in the statistics API.
#[derive(Serialize, ToSchema)]
pub struct HelplineFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Signals filed in the period: a number, or `"<5"`.
    pub signals: Cell,
    /// Signals filed per day, oldest first.
    pub per_day: Vec<DayCount>,
    /// From filing to first call attempt, in minutes; null under five attempts.
    pub minutes_to_first_attempt: Option<Times>,
    /// Signals of the period closed (or expired) so far: a number, or `"<5"`.
    pub closed: Cell,
    /// Those by outcome (values with no signal are left out).
    pub outcomes: Vec<BreakdownCell>,
}

/// The figures of the last [`FIGURE_DAYS`] days of the caller's helpline
/// (supervisors; another helpline is 404).
pub async fn figures(state: &AppState, auth: &AuthUser, id: HelplineId) -> Result<HelplineFigures, AppError> {
    if supervised(auth)? != id {
        return Err(AppError::NotFound);
    }
    let today = Utc::now().with_timezone(&Brussels).date_naive();
    let from = today - Duration::days(FIGURE_DAYS - 1);
    let since = local_midnight(from);
    let rows = state.db.run(move |c| Ok::<_, AppError>(signals::helpline_timeline(c, id, since)?)).await?;
    Ok(build_figures(from, today, &rows))
}

fn local_midnight(day: NaiveDate) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| Brussels.from_local_datetime(&t).earliest())
        .map_or_else(|| day.and_hms_opt(0, 0, 0).unwrap_or_default(), |t| t.naive_utc())
}

type Timeline = [(chrono::NaiveDateTime, Option<chrono::NaiveDateTime>, Option<String>)];

fn build_figures(from: NaiveDate, to: NaiveDate, rows: &Timeline) -> HelplineFigures {
    let mut per_day: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut d = from;
    while d <= to {
        per_day.insert(d, 0);
        d += Duration::days(1);
    }
    let mut first = Histogram::default();
    let mut outcomes: BTreeMap<String, i64> = BTreeMap::new();
    let mut total = 0;
    for (filed, first_attempt, outcome) in rows {
        let day = filed.and_utc().with_timezone(&Brussels).date_naive();
        let Some(n) = per_day.get_mut(&day) else { continue };
        *n += 1;
        total += 1;
        if let Some(at) = first_attempt {
            first.add(minutes_between(*filed, *at), 1);
        }
        if let Some(o) = outcome {
            *outcomes.entry(o.clone()).or_default() += 1;
        }
    }
    let counts: Vec<i64> = per_day.values().copied().collect();
    let (signals, day_cells) = suppress(total, &counts);
    let closed_total: i64 = outcomes.values().sum();
    let parts: Vec<i64> = outcomes.values().copied().collect();
    let (closed, outcome_cells) = suppress(closed_total, &parts);
    HelplineFigures {
        from,
        to,
        signals,
        per_day: per_day.into_keys().zip(day_cells).map(|(day, signals)| DayCount { day, signals }).collect(),
        minutes_to_first_attempt: (first.count() >= MIN_FOR_TIMES)
            .then(|| Some(Times { median: first.quantile(0.5)?, p90: first.quantile(0.9)? }))
            .flatten(),
        closed,
        outcomes: outcomes
            .into_keys()
            .zip(outcome_cells)
            .map(|(value, signals)| BreakdownCell { value, signals })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, h: u32, m: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn small_cells_are_suppressed_and_times_need_five_attempts() {
        let from = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        let mut rows = Vec::new();
        for i in 0..6 {
            let filed = at(2, 10, i);
            rows.push((filed, Some(filed + Duration::minutes(i64::from(10 * (i + 1)))), Some("declined".to_string())));
        }
        rows.push((at(3, 10, 0), None, Some("other".to_string())));
        // Filed before the period: left out.
        rows.push((at(1, 0, 0) - Duration::days(2), None, None));
        let f = build_figures(from, to, &rows);
        assert_eq!(f.signals, Cell::Count(7));
        let lt5 = Cell::Suppressed(crate::stats::model::Suppressed::LessThanFive);
        // 0, 6, 1: the 1 is hidden, and (the total being shown) the 6 too.
        assert_eq!(f.per_day.iter().map(|d| d.signals).collect::<Vec<_>>(), [Cell::Count(0), lt5, lt5]);
        assert_eq!(f.closed, Cell::Count(7));
        assert!(f.outcomes.iter().all(|o| o.signals.is_suppressed()));
        let t = f.minutes_to_first_attempt.unwrap();
        assert_eq!((t.median, t.p90), (30, 60));
        let few = build_figures(from, to, &rows[..4]);
        assert!(few.minutes_to_first_attempt.is_none());
        assert!(few.signals.is_suppressed());
    }
}
