//! Rollup: closed signals older than `SAFERELAY_ROLLUP_AFTER_MONTHS` whole calendar
//! months become anonymous monthly aggregates (`signal_rollups`). Retention then
//! deletes the signals and every row pointing at them, in the same transaction.
//!
//! An aggregate keeps, per combination of the statistics dimensions, the number of
//! signals and two per-minute histograms (time to first attempt, time to close).
//! Statistics bucket live signals the same way, so a month reports the same
//! figures — medians and p90 included — before and after it is rolled up.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use super::model::{EXPIRED, Histogram, Month, WITHDRAWN, minutes_between};
use super::store::{self, RollupRow, SignalFacts};
use crate::db::AnyConnection;
use crate::http::error::AppError;

/// Signals filed before this instant are rolled up: the start of the Brussels
/// month `months` before the current one.
pub fn cutoff(now: NaiveDateTime, months: u32) -> NaiveDateTime {
    Month::of(now).minus(months).start_utc()
}

/// The durations statistics use for a signal, in whole minutes: the stored ones
/// once minimised, else computed from its timestamps (the same computation).
pub fn durations(
    created_at: NaiveDateTime,
    first_attempt_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    minimised: (Option<i32>, Option<i32>),
) -> (Option<i32>, Option<i32>) {
    let first = minimised.0.or_else(|| first_attempt_at.map(|t| minutes_between(created_at, t)));
    let close = minimised.1.or_else(|| closed_at.map(|t| minutes_between(created_at, t)));
    (first, close)
}

/// The outcome statistics report for a closed signal: the recorded outcome,
/// `withdrawn` for a signal its relay withdrew, else `expired`.
pub fn reported_outcome(status: &str, outcome: Option<&str>) -> String {
    match outcome {
        Some(o) if status != EXPIRED => o.to_string(),
        _ if status == WITHDRAWN => WITHDRAWN.to_string(),
        _ => EXPIRED.to_string(),
    }
}

type Key = (String, String, String, String, String, String, String, String, String);

struct Acc {
    signals: i64,
    first: Histogram,
    close: Histogram,
}

/// Rolls up one batch of closed signals filed before `before` into the monthly
/// aggregates; returns their ids, for retention to delete in the same transaction.
pub fn roll_up_batch(
    c: &mut AnyConnection,
    before: NaiveDateTime,
    limit: i64,
    now: NaiveDateTime,
) -> Result<Vec<String>, AppError> {
    store::lock_rollups(c)?;
    let inputs = store::rollup_inputs(c, before, limit)?;
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let mut groups: BTreeMap<Key, Acc> = BTreeMap::new();
    for s in &inputs {
        let acc = groups.entry(key(s)).or_insert_with(|| Acc {
            signals: 0,
            first: Histogram::default(),
            close: Histogram::default(),
        });
        let (first, close) =
            durations(s.created_at, s.first_attempt_at, s.closed_at, (s.minutes_to_first_attempt, s.minutes_to_close));
        acc.signals += 1;
        if let Some(m) = first {
            acc.first.add(m, 1);
        }
        if let Some(m) = close {
            acc.close.add(m, 1);
        }
    }
    for ((month, programme_id, region, relay_kind, helpline_id, urgency, outcome, language, training), acc) in groups {
        let mut row = RollupRow {
            id: uuid::Uuid::new_v4().to_string(),
            month,
            programme_id,
            region,
            relay_kind,
            helpline_id,
            urgency,
            outcome,
            language,
            relay_training_status: training,
            signals: 0,
            first_attempt_minutes: String::new(),
            close_minutes: String::new(),
            updated_at: now,
        };
        let existing = store::find_rollup(c, &row)?;
        let (mut first, mut close, before_count) = match &existing {
            Some(e) => (
                Histogram::from_json(&e.first_attempt_minutes).ok_or_else(|| AppError::internal("corrupt rollup"))?,
                Histogram::from_json(&e.close_minutes).ok_or_else(|| AppError::internal("corrupt rollup"))?,
                i64::from(e.signals),
            ),
            None => (Histogram::default(), Histogram::default(), 0),
        };
        first.merge(&acc.first);
        close.merge(&acc.close);
        row.signals = i32::try_from(before_count + acc.signals).map_err(|_| AppError::internal("rollup overflow"))?;
        row.first_attempt_minutes = first.to_json();
        row.close_minutes = close.to_json();
        match existing {
            Some(e) => store::update_rollup(c, &RollupRow { id: e.id, ..row })?,
            None => store::insert_rollup(c, &row)?,
        };
    }
    Ok(inputs.into_iter().map(|s| s.id).collect())
}

fn key(s: &SignalFacts) -> Key {
    (
        Month::of(s.created_at).to_string(),
        s.programme_id.clone(),
        s.region.clone(),
        s.relay_kind.clone(),
        s.helpline_id.clone(),
        s.urgency.clone(),
        reported_outcome(&s.status, s.outcome.as_deref()),
        s.language.clone(),
        s.relay_training_status.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn whole_brussels_months_are_rolled_up() {
        // On 22 November 2026, 13 months back is October 2025, from its first
        // Brussels instant (summer time: 22:00 UTC the day before).
        assert_eq!(cutoff(t("2026-11-22 12:00:00"), 13), t("2025-09-30 22:00:00"));
        assert_eq!(cutoff(t("2026-11-30 23:30:00"), 13), t("2025-10-31 23:00:00"));
    }

    #[test]
    fn stored_durations_win_over_timestamps() {
        let created = t("2026-01-10 10:00:00");
        let first = Some(t("2026-01-10 10:59:59"));
        let closed = Some(t("2026-01-11 10:00:00"));
        assert_eq!(durations(created, first, closed, (None, None)), (Some(59), Some(1440)));
        assert_eq!(durations(created, None, closed, (Some(7), Some(8))), (Some(7), Some(8)));
        assert_eq!(durations(created, None, None, (None, None)), (None, None));
    }

    #[test]
    fn expired_signals_report_the_outcome_expired() {
        assert_eq!(reported_outcome("expired", None), "expired");
        assert_eq!(reported_outcome("withdrawn", None), "withdrawn");
        assert_eq!(reported_outcome("completed", Some("declined")), "declined");
    }
}
