//! Weekly opening hours with dated exceptions, evaluated in the helpline's time zone
//! (Europe/Brussels). Pure: no clock, no database — the caller passes "now".

use std::fmt;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::holidays::is_public_holiday;

/// Minutes since local midnight, 0..=1440 (`"24:00"` closes a slot at midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(u16);

impl ClockTime {
    pub fn parse(s: &str) -> Option<Self> {
        let (h, m) = s.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        match (h, m) {
            (24, 0) => Some(Self(1440)),
            (0..=23, 0..=59) => Some(Self(h * 60 + m)),
            _ => None,
        }
    }

    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| serde::de::Error::custom("expected a time HH:MM (00:00 to 24:00)"))
    }
}

impl utoipa::PartialSchema for ClockTime {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"))
            .examples([serde_json::json!("09:00")])
            .into()
    }
}
impl utoipa::ToSchema for ClockTime {}

/// Day of the week, as `mon` … `sun`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub fn weekday(self) -> Weekday {
        match self {
            Day::Mon => Weekday::Mon,
            Day::Tue => Weekday::Tue,
            Day::Wed => Weekday::Wed,
            Day::Thu => Weekday::Thu,
            Day::Fri => Weekday::Fri,
            Day::Sat => Weekday::Sat,
            Day::Sun => Weekday::Sun,
        }
    }
}

/// A time range within one day; an `end` before `start` runs past midnight
/// (22:00–06:00), `00:00`–`24:00` is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    pub start: ClockTime,
    pub end: ClockTime,
}

impl TimeRange {
    pub fn is_valid(&self) -> bool {
        self.start != self.end && self.start.0 < 1440
    }

    /// `(start, end)` in minutes from the slot's own midnight; `end` may exceed 1440.
    fn span(&self) -> (u32, u32) {
        let (s, e) = (u32::from(self.start.0), u32::from(self.end.0));
        if e > s { (s, e) } else { (s, e + 1440) }
    }
}

/// A weekly opening slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeeklySlot {
    pub day: Day,
    pub start: ClockTime,
    pub end: ClockTime,
}

/// Hours that replace the weekly ones on one date (none: closed, e.g. a holiday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DateException {
    pub date: NaiveDate,
    #[serde(default)]
    pub hours: Vec<TimeRange>,
}

/// Weekly hours plus dated exceptions, in one time zone, and whether the weekly hours
/// also run on Belgian public holidays ([`super::holidays`]).
///
/// On a public holiday a helpline that is not `open_on_public_holidays` is closed all
/// day: none of that day's weekly slots opens (a night slot starting on the holiday
/// included) and a slot running past midnight from the day before closes at midnight.
/// A dated exception for the holiday wins over this rule (its hours are the day's hours).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    pub weekly: Vec<WeeklySlot>,
    pub exceptions: Vec<DateException>,
    pub open_on_public_holidays: bool,
}

/// How far ahead `next_opening` looks before it gives up.
const LOOKAHEAD_DAYS: i64 = 21;

impl OpeningHours {
    /// Closed the whole of `date` (local) because it is a public holiday?
    fn closed_for_holiday(&self, date: NaiveDate) -> bool {
        !self.open_on_public_holidays && !self.exceptions.iter().any(|e| e.date == date) && is_public_holiday(date)
    }

    /// The ranges that start on `date` (local).
    fn ranges_on(&self, date: NaiveDate) -> Vec<TimeRange> {
        if let Some(ex) = self.exceptions.iter().find(|e| e.date == date) {
            return ex.hours.clone();
        }
        if self.closed_for_holiday(date) {
            return Vec::new();
        }
        self.weekly
            .iter()
            .filter(|s| s.day.weekday() == date.weekday())
            .map(|s| TimeRange { start: s.start, end: s.end })
            .collect()
    }

    /// Open at this local wall-clock time? Counts yesterday's slots that run past midnight.
    pub fn is_open_local(&self, local: NaiveDateTime) -> bool {
        let date = local.date();
        if self.closed_for_holiday(date) {
            return false;
        }
        let minute = local.time().signed_duration_since(chrono::NaiveTime::MIN).num_minutes();
        let minute = u32::try_from(minute).unwrap_or(0);
        let today = self.ranges_on(date).iter().any(|r| {
            let (s, e) = r.span();
            s <= minute && minute < e
        });
        let spill = date.pred_opt().is_some_and(|y| {
            self.ranges_on(y).iter().any(|r| {
                let (s, e) = r.span();
                s <= minute + 1440 && minute + 1440 < e
            })
        });
        today || spill
    }

    pub fn is_open(&self, tz: Tz, at: DateTime<Utc>) -> bool {
        self.is_open_local(at.with_timezone(&tz).naive_local())
    }

    /// `at` itself when open, else the next moment the helpline opens (within three
    /// weeks), or `None` if it never opens in that time.
    pub fn next_opening(&self, tz: Tz, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.is_open(tz, at) {
            return Some(at);
        }
        let today = at.with_timezone(&tz).date_naive();
        (0..=LOOKAHEAD_DAYS).filter_map(|d| today.checked_add_signed(Duration::days(d))).find_map(|date| {
            let mut starts: Vec<u16> = self.ranges_on(date).iter().map(|r| r.start.0).collect();
            starts.sort_unstable();
            starts.into_iter().filter_map(|m| resolve(tz, date, m)).find(|t| *t > at)
        })
    }
}

/// Why a destination is closed at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedReason {
    /// Its weekly hours do not cover the moment.
    OutsideHours,
    /// A dated exception for this (local) date closes it.
    DatedException(NaiveDate),
    /// This (local) date is a Belgian public holiday and it does not open on them.
    PublicHoliday(NaiveDate),
}

impl OpeningHours {
    /// `None` when open at `at`, else why it is closed: a dated exception or a public
    /// holiday (of the day, or of the day before when it cuts a night slot short) when
    /// the weekly hours alone would have it open, else outside its weekly hours.
    pub fn closed_because(&self, tz: Tz, at: DateTime<Utc>) -> Option<ClosedReason> {
        let local = at.with_timezone(&tz).naive_local();
        if self.is_open_local(local) {
            return None;
        }
        let weekly_only =
            OpeningHours { weekly: self.weekly.clone(), exceptions: Vec::new(), open_on_public_holidays: true };
        if !weekly_only.is_open_local(local) {
            return Some(ClosedReason::OutsideHours);
        }
        let today = local.date();
        let days = [Some(today), today.pred_opt()];
        for date in days.into_iter().flatten() {
            if self.exceptions.iter().any(|e| e.date == date) {
                return Some(ClosedReason::DatedException(date));
            }
            if self.closed_for_holiday(date) {
                return Some(ClosedReason::PublicHoliday(date));
            }
        }
        Some(ClosedReason::OutsideHours)
    }
}

/// The UTC instant of a local wall-clock time; a time skipped by a DST change
/// (02:30 on the last Sunday of March) resolves to the first valid instant after it.
fn resolve(tz: Tz, date: NaiveDate, minute: u16) -> Option<DateTime<Utc>> {
    let local = date.and_time(chrono::NaiveTime::MIN) + Duration::minutes(i64::from(minute));
    let mut probe = local;
    for _ in 0..=120 {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) => return Some(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, _) => return Some(first.with_timezone(&Utc)),
            LocalResult::None => probe += Duration::minutes(1),
        }
    }
    None
}

/// Minutes the helpline was open between `from` and `to`, counted minute by minute
/// and stopping at `cap` (callers only need to know whether a threshold is reached).
/// The escalation clock: a public holiday on which the helpline is closed counts nothing.
pub fn open_minutes(hours: &OpeningHours, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>, cap: i64) -> i64 {
    let mut open = 0;
    let mut t = from;
    while t < to && open < cap {
        if hours.is_open(tz, t) {
            open += 1;
        }
        t += Duration::minutes(1);
    }
    open
}
