//! Helpline work domain: call attempt results and safe windows (claims are part of
//! the signal: `signals::model`).

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::signals::model::SafeWindow;
pub use crate::signals::model::{CLAIM_IDLE_MINUTES, claim_holds};
use crate::text_enum;

/// What happened on a call attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttemptResult {
    Reached,
    NoAnswer,
    VoicemailLeft,
    UnsafeToTalk,
    WrongNumber,
    Other,
}
text_enum!(AttemptResult {
    Reached => "reached",
    NoAnswer => "no_answer",
    VoicemailLeft => "voicemail_left",
    UnsafeToTalk => "unsafe_to_talk",
    WrongNumber => "wrong_number",
    Other => "other",
});

/// Whether `at` falls inside one of the person's safe windows (in `tz`). No windows
/// given means no restriction was stated.
pub fn inside_safe_windows(windows: &[SafeWindow], tz: Tz, at: DateTime<Utc>) -> bool {
    if windows.is_empty() {
        return true;
    }
    let local = at.with_timezone(&tz);
    let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0);
    windows
        .iter()
        .any(|w| w.day.weekday() == local.weekday() && w.start.minutes() <= minute && minute < w.end.minutes())
}

/// When the person can next be called safely, from `now`: `now` inside one of
/// their windows, else the start of the next one (within a week). `None` when no
/// window was given (no restriction stated).
pub fn next_safe_start(windows: &[SafeWindow], tz: Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if windows.is_empty() {
        return None;
    }
    if inside_safe_windows(windows, tz, now) {
        return Some(now);
    }
    let today = now.with_timezone(&tz).date_naive();
    (0..=7)
        .filter_map(|d| today.checked_add_days(chrono::Days::new(d)))
        .flat_map(|date| {
            windows.iter().filter(move |w| w.day.weekday() == date.weekday()).filter_map(move |w| {
                let start = chrono::NaiveTime::from_hms_opt(
                    u32::from(w.start.minutes() / 60),
                    u32::from(w.start.minutes() % 60),
                    0,
                )?;
                tz.from_local_datetime(&date.and_time(start)).earliest()
            })
        })
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| *t > now)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::hours::{ClockTime, Day};
    use chrono::TimeZone;
    use chrono_tz::Europe::Brussels;

    #[test]
    fn safe_windows_are_read_in_brussels_time() {
        let w = [SafeWindow {
            day: Day::Tue,
            start: ClockTime::parse("09:00").unwrap(),
            end: ClockTime::parse("11:30").unwrap(),
        }];
        let at = |h, m| Brussels.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap().with_timezone(&Utc);
        assert!(inside_safe_windows(&w, Brussels, at(9, 0)));
        assert!(inside_safe_windows(&w, Brussels, at(11, 29)));
        assert!(!inside_safe_windows(&w, Brussels, at(11, 30)));
        assert!(!inside_safe_windows(&w, Brussels, at(8, 59)));
        let wednesday = Brussels.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap().with_timezone(&Utc);
        assert!(!inside_safe_windows(&w, Brussels, wednesday));
        assert!(inside_safe_windows(&[], Brussels, wednesday));
    }

    #[test]
    fn the_next_safe_call_is_now_inside_a_window_else_the_next_start() {
        let w = [
            SafeWindow {
                day: Day::Tue,
                start: ClockTime::parse("09:00").unwrap(),
                end: ClockTime::parse("11:30").unwrap(),
            },
            SafeWindow {
                day: Day::Fri,
                start: ClockTime::parse("14:00").unwrap(),
                end: ClockTime::parse("15:00").unwrap(),
            },
        ];
        let at = |d, h, m| Brussels.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap().with_timezone(&Utc);
        // Tuesday 24 November 2026, 10:00: inside.
        assert_eq!(next_safe_start(&w, Brussels, at(24, 10, 0)), Some(at(24, 10, 0)));
        // Tuesday 12:00: Friday 14:00 is next.
        assert_eq!(next_safe_start(&w, Brussels, at(24, 12, 0)), Some(at(27, 14, 0)));
        // Saturday: the next Tuesday 09:00.
        let next_tuesday = Brussels.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap().with_timezone(&Utc);
        assert_eq!(next_safe_start(&w, Brussels, at(28, 8, 0)), Some(next_tuesday));
        assert_eq!(next_safe_start(&[], Brussels, at(28, 8, 0)), None);
    }

    #[test]
    fn claims_lapse_after_thirty_idle_minutes() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap();
        assert!(claim_holds(Some(t), t + chrono::Duration::minutes(29)));
        assert!(!claim_holds(Some(t), t + chrono::Duration::minutes(30)));
        assert!(!claim_holds(None, t));
    }
}
