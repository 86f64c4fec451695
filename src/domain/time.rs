//! The calendar date in Brussels, where the scheme runs.

use chrono::NaiveDate;

/// Today in Brussels: the default as-of date of training status (a completion
/// recorded at 00:30 local time counts from that local day).
pub fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Brussels).date_naive()
}
