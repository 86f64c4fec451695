//! The rules of anonymised statistics, pure: calendar months in Europe/Brussels,
//! per-minute duration histograms (exact medians and p90 across rollups), and
//! small-cell suppression with its secondary rule.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Europe::Brussels;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Counts from 1 to this are never shown.
pub const SMALL_CELL_MAX: i64 = 4;

/// A calendar month in Europe/Brussels, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    /// The Brussels month a UTC instant falls in.
    pub fn of(t: NaiveDateTime) -> Self {
        let local = Brussels.from_utc_datetime(&t);
        Self { year: local.year(), month: local.month() }
    }

    pub fn next(self) -> Self {
        if self.month == 12 { Self { year: self.year + 1, month: 1 } } else { Self { month: self.month + 1, ..self } }
    }

    pub fn minus(self, months: u32) -> Self {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 - i64::from(months);
        Self { year: i32::try_from(index.div_euclid(12)).unwrap_or(i32::MIN), month: (index.rem_euclid(12) + 1) as u32 }
    }

    /// Months from `self` to `other` (0 when equal, negative when `other` is earlier).
    pub fn until(self, other: Month) -> i64 {
        (i64::from(other.year) - i64::from(self.year)) * 12 + i64::from(other.month) - i64::from(self.month)
    }

    /// The first instant of the month in Brussels, as UTC.
    pub fn start_utc(self) -> NaiveDateTime {
        let first = NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default();
        local_midnight_utc(first)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (y, m) = s.split_once('-').ok_or(())?;
        if y.len() != 4 || m.len() != 2 {
            return Err(());
        }
        Month::new(y.parse().map_err(|_| ())?, m.parse().map_err(|_| ())?).ok_or(())
    }
}

/// Midnight of a Brussels calendar day, as UTC (midnight always exists there:
/// daylight-saving changes happen at 02:00 and 03:00).
fn local_midnight_utc(day: NaiveDate) -> NaiveDateTime {
    Brussels
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or_else(|| day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The start (Brussels midnight, as UTC) of the Brussels day `t` falls on: what a
/// minimised signal keeps of its times. Its month is `t`'s month.
pub fn day_start(t: NaiveDateTime) -> NaiveDateTime {
    local_midnight_utc(Brussels.from_utc_datetime(&t).date_naive())
}

/// Whole minutes from `from` to `to` (never negative).
pub fn minutes_between(from: NaiveDateTime, to: NaiveDateTime) -> i32 {
    i32::try_from((to - from).num_minutes().max(0)).unwrap_or(i32::MAX)
}

/// The last month whose figures are final: every signal of it has been closed or
/// expired (`retention_days` after its end, plus a day for the job to run).
pub fn last_final_month(now: NaiveDateTime, retention_days: u32) -> Month {
    let mut m = Month::of(now).minus(1);
    while m.next().start_utc() + Duration::days(i64::from(retention_days) + 1) > now {
        m = m.minus(1);
    }
    m
}

/// Durations in whole minutes → how many signals took that long. Merging two
/// histograms and taking a quantile gives the same answer as taking it over the
/// raw durations, so rolled-up months report exactly what live ones did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram(pub BTreeMap<i32, i64>);

impl Histogram {
    pub fn add(&mut self, minutes: i32, count: i64) {
        *self.0.entry(minutes).or_default() += count;
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (m, n) in &other.0 {
            self.add(*m, *n);
        }
    }

    pub fn count(&self) -> i64 {
        self.0.values().sum()
    }

    /// Nearest-rank quantile: the value at rank ⌈q·n⌉ (1-based) of the sorted durations.
    pub fn quantile(&self, q: f64) -> Option<i32> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as i64).clamp(1, n);
        let mut seen = 0;
        self.0.iter().find_map(|(m, c)| {
            seen += c;
            (seen >= rank).then_some(*m)
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".into())
    }

    pub fn from_json(s: &str) -> Option<Self> {
        serde_json::from_str(s).ok().map(Histogram)
    }
}

/// `"<5"`: a suppressed count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum Suppressed {
    #[serde(rename = "<5")]
    LessThanFive,
}

/// A published count: the number, or `"<5"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Cell {
    Count(i64),
    Suppressed(Suppressed),
}

impl Cell {
    pub fn is_suppressed(self) -> bool {
        matches!(self, Cell::Suppressed(_))
    }

    pub fn count(self) -> Option<i64> {
        match self {
            Cell::Count(n) => Some(n),
            Cell::Suppressed(_) => None,
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Count(n) => write!(f, "{n}"),
            Cell::Suppressed(_) => f.write_str("<5"),
        }
    }
}

fn primary(n: i64) -> Cell {
    if (1..=SMALL_CELL_MAX).contains(&n) { Cell::Suppressed(Suppressed::LessThanFive) } else { Cell::Count(n) }
}

/// Suppresses a total and the parts that partition it. Primary: every count 1–4 is
/// `"<5"`. Secondary: when the total is shown and exactly one part is hidden, the
/// smallest other non-zero part is hidden too, so that the total minus the visible
/// parts never gives a hidden part alone.
pub fn suppress(total: i64, parts: &[i64]) -> (Cell, Vec<Cell>) {
    let total_cell = primary(total);
    let mut cells: Vec<Cell> = parts.iter().map(|&n| primary(n)).collect();
    if !total_cell.is_suppressed() && cells.iter().filter(|c| c.is_suppressed()).count() == 1 {
        let next = cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.count().filter(|&n| n > 0).map(|n| (n, i)))
            .min()
            .map(|(_, i)| i);
        if let Some(i) = next {
            cells[i] = Cell::Suppressed(Suppressed::LessThanFive);
        }
    }
    (total_cell, cells)
}

/// What a month's signals can be broken down by, one dimension at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    #[default]
    Region,
    RelayKind,
    Helpline,
    Urgency,
    /// The outcome of a closed signal, or `expired`.
    Outcome,
    Language,
    /// `trained` (relay `trained` or `expiring` when the signal was filed) or `not_trained`.
    Training,
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Region => "region",
            Dimension::RelayKind => "relay_kind",
            Dimension::Helpline => "helpline",
            Dimension::Urgency => "urgency",
            Dimension::Outcome => "outcome",
            Dimension::Language => "language",
            Dimension::Training => "training",
        }
    }
}

/// The outcome statistics report: the recorded outcome, or `expired`.
pub const EXPIRED: &str = "expired";
/// The outcome reported for a signal its relay point withdrew.
pub const WITHDRAWN: &str = "withdrawn";

/// The training dimension's value for a relay's status when the signal was filed.
pub fn training_group(relay_training_status: &str) -> &'static str {
    if matches!(relay_training_status, "trained" | "expiring") { "trained" } else { "not_trained" }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
