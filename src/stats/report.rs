//! Building the published figures from facts (live signals and rollups alike):
//! one programme × one month × one breakdown, suppressed with `model::suppress`.
//! The month's headline shares come from the very partitions the `training` and
//! `outcome` breakdowns publish, so no two answers disagree on what is hidden.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::model::{Cell, Dimension, EXPIRED, Histogram, Month, suppress};

/// Fewer durations than this and no median or p90 is shown.
pub const MIN_FOR_TIMES: i64 = 5;

/// One closed signal (count 1) or one rollup row (count n), bucketed.
#[derive(Debug, Clone)]
pub struct Fact {
    pub month: Month,
    pub region: String,
    pub relay_kind: String,
    pub helpline: String,
    pub urgency: String,
    pub outcome: String,
    pub language: String,
    pub training: String,
    pub count: i64,
    pub first_attempt: Histogram,
    pub close: Histogram,
}

impl Fact {
    fn value(&self, d: Dimension) -> &str {
        match d {
            Dimension::Region => &self.region,
            Dimension::RelayKind => &self.relay_kind,
            Dimension::Helpline => &self.helpline,
            Dimension::Urgency => &self.urgency,
            Dimension::Outcome => &self.outcome,
            Dimension::Language => &self.language,
            Dimension::Training => &self.training,
        }
    }
}

/// A breakdown value and its count.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct BreakdownCell {
    pub value: String,
    pub signals: Cell,
}

/// Median and 90th percentile, in whole minutes (nearest rank).
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
pub struct Times {
    pub median: i32,
    pub p90: i32,
}

/// The published figures of one month.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct MonthFigures {
    /// `YYYY-MM`, Europe/Brussels.
    pub month: String,
    /// Signals filed that month: a number, or `"<5"`.
    pub signals: Cell,
    /// The month's signals by the requested dimension (values with no signal are left out).
    pub breakdown: Vec<BreakdownCell>,
    /// Share of signals from relays not trained when they filed; null when hidden.
    pub share_not_trained: Option<f64>,
    /// Share of signals that expired (no callback closed them in time); null when hidden.
    pub share_expired: Option<f64>,
    /// Submission to first call attempt; null under five attempts.
    pub minutes_to_first_attempt: Option<Times>,
    /// Submission to close or expiry; null under five signals.
    pub minutes_to_close: Option<Times>,
}

/// Counts by value of `d`, in value order.
fn partition(facts: &[&Fact], d: Dimension) -> BTreeMap<String, i64> {
    let mut by: BTreeMap<String, i64> = BTreeMap::new();
    for f in facts {
        *by.entry(f.value(d).to_string()).or_default() += f.count;
    }
    by
}

/// The suppressed breakdown of a month by `d`.
fn breakdown(facts: &[&Fact], total: i64, d: Dimension) -> Vec<BreakdownCell> {
    let parts = partition(facts, d);
    let counts: Vec<i64> = parts.values().copied().collect();
    let (_, cells) = suppress(total, &counts);
    parts.into_keys().zip(cells).map(|(value, signals)| BreakdownCell { value, signals }).collect()
}

/// The share of `value` in the published breakdown by `d`, when it is shown.
fn share(facts: &[&Fact], total: i64, d: Dimension, value: &str) -> Option<f64> {
    if total == 0 || suppress(total, &[]).0.is_suppressed() {
        return None;
    }
    let cells = breakdown(facts, total, d);
    let n = match cells.iter().find(|c| c.value == value) {
        Some(c) => c.signals.count()?,
        None => 0,
    };
    Some((n as f64 / total as f64 * 1000.0).round() / 1000.0)
}

fn times(h: &Histogram) -> Option<Times> {
    if h.count() < MIN_FOR_TIMES {
        return None;
    }
    Some(Times { median: h.quantile(0.5)?, p90: h.quantile(0.9)? })
}

/// The figures of `month` from the facts of that month (of one programme).
pub fn month_figures(month: Month, facts: &[&Fact], by: Dimension) -> MonthFigures {
    let total: i64 = facts.iter().map(|f| f.count).sum();
    let (mut first, mut close) = (Histogram::default(), Histogram::default());
    for f in facts {
        first.merge(&f.first_attempt);
        close.merge(&f.close);
    }
    MonthFigures {
        month: month.to_string(),
        signals: suppress(total, &[]).0,
        breakdown: breakdown(facts, total, by),
        share_not_trained: share(facts, total, Dimension::Training, "not_trained"),
        share_expired: share(facts, total, Dimension::Outcome, EXPIRED),
        minutes_to_first_attempt: times(&first),
        minutes_to_close: times(&close),
    }
}
