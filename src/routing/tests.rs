//! Routing and opening-hours tables: DST changes, midnight-spanning hours,
//! holidays, fallbacks and the no-rule case.

use crate::domain::{HelplineId, Language, Region};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Brussels;

use super::hours::{ClockTime, DateException, Day, OpeningHours, TimeRange, WeeklySlot};
use super::model::*;

fn t(s: &str) -> ClockTime {
    ClockTime::parse(s).unwrap()
}

/// Brussels wall-clock time to UTC.
fn bxl(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Brussels.with_ymd_and_hms(y, mo, d, h, mi, 0).earliest().unwrap().with_timezone(&Utc)
}

fn weekdays(start: &str, end: &str) -> OpeningHours {
    let days = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri];
    OpeningHours {
        weekly: days.iter().map(|&day| WeeklySlot { day, start: t(start), end: t(end) }).collect(),
        exceptions: vec![],
    }
}

fn every_day(start: &str, end: &str) -> OpeningHours {
    let days = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri, Day::Sat, Day::Sun];
    OpeningHours {
        weekly: days.iter().map(|&day| WeeklySlot { day, start: t(start), end: t(end) }).collect(),
        exceptions: vec![],
    }
}

#[test]
fn clock_times_parse_strictly() {
    assert_eq!(t("09:30").minutes(), 570);
    assert_eq!(t("24:00").minutes(), 1440);
    for bad in ["9:30", "24:01", "25:00", "12:60", "ab:cd", "1200", ""] {
        assert!(ClockTime::parse(bad).is_none(), "{bad}");
    }
    assert!(!TimeRange { start: t("10:00"), end: t("10:00") }.is_valid());
    assert!(!TimeRange { start: t("24:00"), end: t("10:00") }.is_valid());
    assert!(TimeRange { start: t("22:00"), end: t("06:00") }.is_valid());
}

#[test]
fn office_hours_open_and_close_at_the_edges() {
    let h = weekdays("09:00", "17:00");
    // Monday 23 November 2026.
    assert!(!h.is_open(Brussels, bxl(2026, 11, 23, 8, 59)));
    assert!(h.is_open(Brussels, bxl(2026, 11, 23, 9, 0)));
    assert!(h.is_open(Brussels, bxl(2026, 11, 23, 16, 59)));
    assert!(!h.is_open(Brussels, bxl(2026, 11, 23, 17, 0)));
    assert!(!h.is_open(Brussels, bxl(2026, 11, 28, 12, 0)), "Saturday");
    // Friday evening: next opening is Monday 09:00.
    assert_eq!(h.next_opening(Brussels, bxl(2026, 11, 27, 18, 0)), Some(bxl(2026, 11, 30, 9, 0)));
    assert_eq!(h.next_opening(Brussels, bxl(2026, 11, 23, 10, 0)), Some(bxl(2026, 11, 23, 10, 0)));
}

#[test]
fn all_day_slots_cover_the_whole_week() {
    let h = every_day("00:00", "24:00");
    for hour in [0, 3, 12, 23] {
        assert!(h.is_open(Brussels, bxl(2026, 11, 29, hour, 59)));
    }
}

#[test]
fn night_slots_run_past_midnight() {
    // Open Friday 22:00 until Saturday 06:00 only.
    let h = OpeningHours {
        weekly: vec![WeeklySlot { day: Day::Fri, start: t("22:00"), end: t("06:00") }],
        exceptions: vec![],
    };
    assert!(!h.is_open(Brussels, bxl(2026, 11, 27, 21, 59)));
    assert!(h.is_open(Brussels, bxl(2026, 11, 27, 23, 30)));
    assert!(h.is_open(Brussels, bxl(2026, 11, 28, 5, 59)), "Saturday early morning, from Friday's slot");
    assert!(!h.is_open(Brussels, bxl(2026, 11, 28, 6, 0)));
    assert!(!h.is_open(Brussels, bxl(2026, 11, 28, 23, 0)), "Saturday night has no slot");
    assert_eq!(h.next_opening(Brussels, bxl(2026, 11, 28, 7, 0)), Some(bxl(2026, 12, 4, 22, 0)));
}

#[test]
fn holidays_close_a_day_and_special_hours_replace_it() {
    let mut h = weekdays("09:00", "17:00");
    h.exceptions = vec![
        // Christmas (Friday) closed; New Year's Eve (Thursday) closes early.
        DateException { date: NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(), hours: vec![] },
        DateException {
            date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            hours: vec![TimeRange { start: t("09:00"), end: t("12:00") }],
        },
    ];
    assert!(!h.is_open(Brussels, bxl(2026, 12, 25, 10, 0)));
    assert!(h.is_open(Brussels, bxl(2026, 12, 24, 10, 0)));
    assert!(h.is_open(Brussels, bxl(2026, 12, 31, 11, 0)));
    assert!(!h.is_open(Brussels, bxl(2026, 12, 31, 13, 0)));
    // Thursday 24 December after closing: Friday is a holiday, so Monday 28th.
    assert_eq!(h.next_opening(Brussels, bxl(2026, 12, 24, 18, 0)), Some(bxl(2026, 12, 28, 9, 0)));
}

#[test]
fn daylight_saving_changes_keep_wall_clock_hours() {
    let h = every_day("09:00", "17:00");
    // Spring forward: Sunday 29 March 2026. 09:00 CEST is 07:00 UTC (08:00 UTC the day before).
    assert_eq!(
        h.next_opening(Brussels, bxl(2026, 3, 29, 0, 30)),
        Some(Utc.with_ymd_and_hms(2026, 3, 29, 7, 0, 0).unwrap())
    );
    assert_eq!(
        h.next_opening(Brussels, bxl(2026, 3, 28, 0, 30)),
        Some(Utc.with_ymd_and_hms(2026, 3, 28, 8, 0, 0).unwrap())
    );
    // Fall back: Sunday 25 October 2026, 17:00 CET is 16:00 UTC.
    assert!(h.is_open(Brussels, Utc.with_ymd_and_hms(2026, 10, 25, 15, 59, 0).unwrap()));
    assert!(!h.is_open(Brussels, Utc.with_ymd_and_hms(2026, 10, 25, 16, 0, 0).unwrap()));

    // A slot starting inside the skipped hour (02:30 on 29 March) opens at 03:00 CEST.
    let night = OpeningHours {
        weekly: vec![WeeklySlot { day: Day::Sun, start: t("02:30"), end: t("05:00") }],
        exceptions: vec![],
    };
    assert_eq!(
        night.next_opening(Brussels, Utc.with_ymd_and_hms(2026, 3, 28, 23, 0, 0).unwrap()),
        Some(Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap())
    );
    // In the repeated hour (02:30 on 25 October happens twice) the first one counts.
    assert_eq!(
        night.next_opening(Brussels, Utc.with_ymd_and_hms(2026, 10, 24, 22, 0, 0).unwrap()),
        Some(Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap())
    );
}

#[test]
fn never_open_has_no_next_opening() {
    assert_eq!(OpeningHours::default().next_opening(Brussels, bxl(2026, 11, 23, 9, 0)), None);
}

fn dest(n: u128, code: &str, kind: DestinationKind, langs: &[Language], hours: OpeningHours) -> Destination {
    Destination {
        id: HelplineId(uuid::Uuid::from_u128(n)),
        code: code.into(),
        kind,
        languages: langs.to_vec(),
        active: true,
        time_zone: Brussels,
        hours,
    }
}

fn rule(
    priority: i32,
    region: Option<Region>,
    postcodes: Option<(u16, u16)>,
    language: Option<Language>,
    to: &Destination,
) -> RoutingRule {
    RoutingRule { priority, region, postcodes, language, helpline: to.id }
}

struct Network {
    nl: Destination,
    fr: Destination,
    local: Destination,
    rules: Vec<RoutingRule>,
}

fn network() -> Network {
    let nl = dest(1, "1712", DestinationKind::Helpline, &[Language::Nl], weekdays("09:00", "17:00"));
    let fr = dest(2, "evc", DestinationKind::Helpline, &[Language::Fr, Language::Nl], every_day("00:00", "24:00"));
    let local =
        dest(3, "wb-local", DestinationKind::LocalService, &[Language::Fr, Language::Nl], weekdays("08:00", "20:00"));
    let rules = vec![
        // Watermael-Boitsfort (1170) sends its signals to its own service first.
        rule(5, None, Some((1170, 1170)), None, &local),
        rule(10, None, None, Some(Language::Nl), &nl),
        rule(20, None, None, Some(Language::Fr), &fr),
        rule(40, Some(Region::Flanders), None, None, &nl),
        rule(50, Some(Region::Wallonia), None, None, &fr),
    ];
    Network { nl, fr, local, rules }
}

fn go(n: &Network, region: Region, postcode: u16, language: Language, now: DateTime<Utc>) -> Result<Route, NoRoute> {
    route(&n.rules, &[n.nl.clone(), n.fr.clone(), n.local.clone()], &Origin { region, postcode, language }, now)
}

#[test]
fn rules_pick_by_language_then_region_in_priority_order() {
    let n = network();
    let monday_noon = bxl(2026, 11, 23, 12, 0);
    assert_eq!(go(&n, Region::Flanders, 9000, Language::Nl, monday_noon).unwrap().helpline, n.nl.id);
    assert_eq!(go(&n, Region::Brussels, 1000, Language::Fr, monday_noon).unwrap().helpline, n.fr.id);
    assert_eq!(go(&n, Region::Flanders, 9000, Language::En, monday_noon).unwrap().helpline, n.nl.id);
    assert_eq!(go(&n, Region::Wallonia, 4000, Language::Other, monday_noon).unwrap().helpline, n.fr.id);
    assert_eq!(go(&n, Region::Brussels, 1170, Language::Nl, monday_noon).unwrap().helpline, n.local.id);
}

#[test]
fn a_closed_first_choice_hands_over_to_an_open_helpline_for_the_language() {
    let n = network();
    let saturday = bxl(2026, 11, 28, 12, 0);
    let r = go(&n, Region::Flanders, 9000, Language::Nl, saturday).unwrap();
    assert_eq!((r.helpline, r.first_choice, r.open_now), (n.fr.id, n.nl.id, true));
    assert_eq!(r.callback_from, Some(saturday));
}

#[test]
fn when_nothing_is_open_the_signal_queues_for_the_first_choice() {
    let mut n = network();
    n.fr.hours = weekdays("09:00", "17:00");
    let saturday = bxl(2026, 11, 28, 12, 0);
    let r = go(&n, Region::Flanders, 9000, Language::Nl, saturday).unwrap();
    assert_eq!((r.helpline, r.open_now), (n.nl.id, false));
    assert_eq!(r.callback_from, Some(bxl(2026, 11, 30, 9, 0)));
}

#[test]
fn local_services_never_take_other_areas_signals_as_fallback() {
    let mut n = network();
    n.fr.hours = OpeningHours::default();
    n.nl.hours = OpeningHours::default();
    // Monday 10:00: only the local service is open, but this signal is from Ghent.
    let r = go(&n, Region::Flanders, 9000, Language::Nl, bxl(2026, 11, 23, 10, 0)).unwrap();
    assert_eq!((r.helpline, r.open_now, r.callback_from), (n.nl.id, false, None));
}

#[test]
fn inactive_destinations_are_skipped_and_no_rule_is_no_route() {
    let mut n = network();
    n.nl.active = false;
    let r = go(&n, Region::Flanders, 9000, Language::Nl, bxl(2026, 11, 23, 12, 0)).unwrap();
    assert_eq!(r.helpline, n.fr.id);
    n.rules.clear();
    assert_eq!(go(&n, Region::Flanders, 9000, Language::Nl, bxl(2026, 11, 23, 12, 0)), Err(NoRoute));
}

#[test]
fn rule_conditions_must_all_hold() {
    let n = network();
    let r = rule(1, Some(Region::Brussels), Some((1000, 1299)), Some(Language::Fr), &n.fr);
    assert!(r.matches(&Origin { region: Region::Brussels, postcode: 1050, language: Language::Fr }));
    assert!(!r.matches(&Origin { region: Region::Brussels, postcode: 1300, language: Language::Fr }));
    assert!(!r.matches(&Origin { region: Region::Wallonia, postcode: 1050, language: Language::Fr }));
    assert!(!r.matches(&Origin { region: Region::Brussels, postcode: 1050, language: Language::Nl }));
}
