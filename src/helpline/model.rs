//! Helpline work domain: call attempt results and safe windows (claims are part of
//! the signal: `signals::model`).

use chrono::{DateTime, Datelike, Timelike, Utc};
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
    fn claims_lapse_after_thirty_idle_minutes() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap();
        assert!(claim_holds(Some(t), t + chrono::Duration::minutes(29)));
        assert!(!claim_holds(Some(t), t + chrono::Duration::minutes(30)));
        assert!(!claim_holds(None, t));
    }
}
