//! Belgian public holidays, for any year. Pure: a date in, a yes or no out.
//!
//! The ten legal holidays: seven on fixed dates (1 January, 1 May, 21 July, 15 August,
//! 1 November, 11 November, 25 December) and three that move with Easter (Easter
//! Monday, Ascension Day = Easter + 39 days, Whit Monday = Easter + 50 days). Easter
//! Sunday and Whit Sunday fall on a Sunday and are not listed. Regional and community
//! holidays (11 July, 27 September, 15 November) are not public holidays.

use chrono::{Datelike, Duration, NaiveDate};

/// Easter Sunday of `year` (Gregorian calendar), by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // Always 22 March to 25 April, so always a valid date.
    NaiveDate::from_ymd_opt(year, month.unsigned_abs(), day.unsigned_abs()).unwrap_or(NaiveDate::MIN)
}

/// The Belgian public holidays of `year`, in calendar order: ten dates, or nine when
/// Ascension Day falls on 1 May (as in 2008).
pub fn public_holidays(year: i32) -> Vec<NaiveDate> {
    let easter = easter_sunday(year);
    let fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)];
    let mut days: Vec<NaiveDate> = fixed.iter().filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d)).collect();
    days.extend([1, 39, 50].iter().map(|&n| easter + Duration::days(n)));
    days.sort_unstable();
    days.dedup();
    days
}

/// Whether `date` is a Belgian public holiday.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let fixed =
        matches!((date.month(), date.day()), (1, 1) | (5, 1) | (7, 21) | (8, 15) | (11, 1) | (11, 11) | (12, 25));
    fixed || {
        let after_easter = (date - easter_sunday(date.year())).num_days();
        matches!(after_easter, 1 | 39 | 50)
    }
}
