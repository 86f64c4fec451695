//! Routing and opening-hours tables: DST changes, midnight-spanning hours,
//! dated exceptions, Belgian public holidays, fallbacks by language and the no-rule case.

use crate::domain::{HelplineId, Language, Region};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Brussels;

use super::holidays::{easter_sunday, is_public_holiday, public_holidays};
use super::hours::{ClockTime, DateException, Day, OpeningHours, TimeRange, WeeklySlot, open_minutes};
use super::model::*;

fn t(s: &str) -> ClockTime {
    ClockTime::parse(s).unwrap()
}

/// Brussels wall-clock time to UTC.
fn bxl(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Brussels.with_ymd_and_hms(y, mo, d, h, mi, 0).earliest().unwrap().with_timezone(&Utc)
}

/// Office hours, closed on public holidays (as 1712 is).
fn weekdays(start: &str, end: &str) -> OpeningHours {
    let days = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri];
    OpeningHours {
        weekly: days.iter().map(|&day| WeeklySlot { day, start: t(start), end: t(end) }).collect(),
        exceptions: vec![],
        open_on_public_holidays: false,
    }
}

/// The same hours every day of the year, public holidays included (as 0800 30 030).
fn every_day(start: &str, end: &str) -> OpeningHours {
    let days = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri, Day::Sat, Day::Sun];
    OpeningHours {
        weekly: days.iter().map(|&day| WeeklySlot { day, start: t(start), end: t(end) }).collect(),
        exceptions: vec![],
        open_on_public_holidays: true,
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
        open_on_public_holidays: false,
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
        open_on_public_holidays: false,
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

/// The seeded network (migrations/*/2026-11-22-000011_seed_helplines and
/// …000040_public_holidays): 1712 Dutch only, weekdays 09:00–17:00, closed on public
/// holidays; 0800 30 030 French only, 24/7, open on public holidays; the same rules.
/// Plus a local service in Watermael-Boitsfort.
fn network() -> Network {
    let nl = dest(1, "1712", DestinationKind::Helpline, &[Language::Nl], weekdays("09:00", "17:00"));
    let fr = dest(2, "evc", DestinationKind::Helpline, &[Language::Fr], every_day("00:00", "24:00"));
    let local =
        dest(3, "wb-local", DestinationKind::LocalService, &[Language::Fr, Language::Nl], weekdays("08:00", "20:00"));
    let rules = vec![
        // Watermael-Boitsfort (1170) sends its signals to its own service first.
        rule(5, None, Some((1170, 1170)), None, &local),
        rule(10, None, None, Some(Language::Nl), &nl),
        rule(20, None, None, Some(Language::Fr), &fr),
        rule(30, None, None, Some(Language::De), &fr),
        rule(40, Some(Region::Flanders), None, None, &nl),
        rule(50, Some(Region::Wallonia), None, None, &fr),
        rule(60, Some(Region::Brussels), None, None, &fr),
    ];
    Network { nl, fr, local, rules }
}

fn go_with(
    n: &Network,
    extra: &[Destination],
    region: Region,
    postcode: u16,
    language: Language,
    now: DateTime<Utc>,
) -> Option<Route> {
    let mut all = vec![n.nl.clone(), n.fr.clone(), n.local.clone()];
    all.extend_from_slice(extra);
    route(&n.rules, &all, &Origin { region, postcode, language }, now)
}

fn go(n: &Network, region: Region, postcode: u16, language: Language, now: DateTime<Utc>) -> Option<Route> {
    go_with(n, &[], region, postcode, language, now)
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
    assert!(go(&n, Region::Flanders, 9000, Language::Nl, monday_noon).unwrap().rule_matched);
}

#[test]
fn a_dutch_signal_outside_office_hours_queues_for_1712_and_never_goes_to_the_french_line() {
    let n = network();
    let next_morning = bxl(2026, 11, 24, 9, 0);
    let monday_evening = bxl(2026, 11, 23, 18, 0);
    let saturday = bxl(2026, 11, 28, 12, 0);
    for (region, postcode) in [(Region::Brussels, 1000), (Region::Wallonia, 4000), (Region::Flanders, 9000)] {
        let r = go(&n, region, postcode, Language::Nl, monday_evening).unwrap();
        assert_eq!((r.helpline, r.first_choice, r.open_now), (n.nl.id, n.nl.id, false), "{region:?}");
        assert_eq!(r.callback_from, Some(next_morning), "{region:?}");
        assert!(r.rule_matched);
        let r = go(&n, region, postcode, Language::Nl, saturday).unwrap();
        assert_eq!((r.helpline, r.open_now), (n.nl.id, false), "{region:?} at the weekend");
        assert_eq!(r.callback_from, Some(bxl(2026, 11, 30, 9, 0)), "{region:?} at the weekend");
    }
    // The French-speaking person still gets the line that is open.
    let r = go(&n, Region::Brussels, 1000, Language::Fr, saturday).unwrap();
    assert_eq!((r.helpline, r.open_now), (n.fr.id, true));
}

#[test]
fn a_closed_first_choice_hands_over_to_an_open_helpline_for_the_language() {
    let n = network();
    // A Dutch-speaking line open every day (as Tele-Onthaal would be).
    let night = dest(4, "nl-night", DestinationKind::Helpline, &[Language::Nl], every_day("00:00", "24:00"));
    let saturday = bxl(2026, 11, 28, 12, 0);
    let r = go_with(&n, std::slice::from_ref(&night), Region::Brussels, 1000, Language::Nl, saturday).unwrap();
    assert_eq!((r.helpline, r.first_choice, r.open_now), (night.id, n.nl.id, true));
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
fn a_language_nobody_speaks_follows_the_rules_as_written() {
    let n = network();
    let monday_evening = bxl(2026, 11, 23, 18, 0);
    // English in Flanders: the region's rule (1712), queued, since nobody speaks English.
    let r = go(&n, Region::Flanders, 9000, Language::En, monday_evening).unwrap();
    assert_eq!((r.helpline, r.open_now), (n.nl.id, false));
    assert_eq!(r.callback_from, Some(bxl(2026, 11, 24, 9, 0)));
    // In Brussels the rules name 0800 30 030, open.
    let r = go(&n, Region::Brussels, 1000, Language::Other, monday_evening).unwrap();
    assert_eq!((r.helpline, r.open_now, r.rule_matched), (n.fr.id, true, true));
    // German: its rule sends it to 0800 30 030.
    let r = go(&n, Region::Flanders, 9000, Language::De, monday_evening).unwrap();
    assert_eq!((r.helpline, r.open_now), (n.fr.id, true));
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
fn inactive_destinations_are_skipped() {
    let mut n = network();
    let night = dest(4, "nl-night", DestinationKind::Helpline, &[Language::Nl], every_day("00:00", "24:00"));
    n.nl.active = false;
    let r = go_with(&n, std::slice::from_ref(&night), Region::Flanders, 9000, Language::Nl, bxl(2026, 11, 23, 12, 0))
        .unwrap();
    assert_eq!(r.helpline, night.id);
    assert!(!r.rule_matched, "both matching rules name the inactive 1712");
}

#[test]
fn without_a_matching_rule_the_signal_still_goes_to_a_helpline_for_its_language() {
    let mut n = network();
    n.rules.clear();
    let monday_noon = bxl(2026, 11, 23, 12, 0);
    let monday_evening = bxl(2026, 11, 23, 18, 0);
    // Open and speaking the language.
    let r = go(&n, Region::Flanders, 9000, Language::Nl, monday_noon).unwrap();
    assert_eq!((r.helpline, r.open_now, r.rule_matched), (n.nl.id, true, false));
    // Speaking it but closed: queued for it, not sent to the open French line.
    let r = go(&n, Region::Brussels, 1000, Language::Nl, monday_evening).unwrap();
    assert_eq!((r.helpline, r.open_now, r.rule_matched), (n.nl.id, false, false));
    assert_eq!(r.callback_from, Some(bxl(2026, 11, 24, 9, 0)));
    // Nobody speaks it: an open helpline, else the first by code, queued.
    let r = go(&n, Region::Flanders, 9000, Language::En, monday_noon).unwrap();
    assert_eq!((r.helpline, r.open_now, r.rule_matched), (n.nl.id, true, false));
    let r = go(&n, Region::Flanders, 9000, Language::En, monday_evening).unwrap();
    assert_eq!((r.helpline, r.open_now, r.rule_matched), (n.fr.id, true, false));
    n.fr.hours = OpeningHours::default();
    let r = go(&n, Region::Flanders, 9000, Language::En, monday_evening).unwrap();
    assert_eq!((r.helpline, r.open_now), (n.nl.id, false), "1712 comes first by code");
    assert_eq!(r.callback_from, Some(bxl(2026, 11, 24, 9, 0)));
    // A local service never takes a signal without a rule.
    n.nl.active = false;
    n.fr.active = false;
    assert_eq!(go(&n, Region::Brussels, 1170, Language::Fr, monday_noon), None, "no active helpline at all");
    n.fr.active = true;
    assert_eq!(go(&n, Region::Flanders, 9000, Language::Nl, monday_noon).unwrap().helpline, n.fr.id);
}

#[test]
fn easter_is_computed_for_any_year() {
    for (y, m, d) in [
        (1961, 4, 2),
        (2000, 4, 23),
        (2008, 3, 23),
        (2011, 4, 24),
        (2019, 4, 21),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2038, 4, 25),
        (2285, 3, 22),
    ] {
        assert_eq!(easter_sunday(y), NaiveDate::from_ymd_opt(y, m, d).unwrap(), "{y}");
    }
}

#[test]
fn belgian_public_holidays_are_the_ten_legal_ones() {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        public_holidays(2026),
        vec![
            d(2026, 1, 1),
            d(2026, 4, 6), // Easter Monday
            d(2026, 5, 1),
            d(2026, 5, 14), // Ascension Day
            d(2026, 5, 25), // Whit Monday
            d(2026, 7, 21),
            d(2026, 8, 15),
            d(2026, 11, 1),
            d(2026, 11, 11),
            d(2026, 12, 25),
        ]
    );
    // Easter-based ones in other years.
    for (y, easter_monday, ascension, whit_monday) in [
        (2024, d(2024, 4, 1), d(2024, 5, 9), d(2024, 5, 20)),
        (2025, d(2025, 4, 21), d(2025, 5, 29), d(2025, 6, 9)),
        (2027, d(2027, 3, 29), d(2027, 5, 6), d(2027, 5, 17)),
    ] {
        for h in [easter_monday, ascension, whit_monday] {
            assert!(is_public_holiday(h), "{h}");
            assert!(public_holidays(y).contains(&h), "{h}");
        }
    }
    for y in 1990..2100 {
        let all = public_holidays(y);
        assert_eq!(all.len(), if y == 2008 { 9 } else { 10 }, "{y}: Ascension on 1 May counts once");
        assert!(all.iter().all(|h| is_public_holiday(*h)), "{y}");
    }
    for not in [d(2026, 4, 5), d(2026, 5, 24), d(2026, 7, 11), d(2026, 12, 26), d(2026, 11, 12), d(2025, 5, 8)] {
        assert!(!is_public_holiday(not), "{not}");
    }
}

#[test]
fn a_helpline_closed_on_public_holidays_is_closed_all_day_on_them() {
    // Wednesday 11 November 2026 (Armistice).
    let office = weekdays("09:00", "17:00");
    assert!(!office.is_open(Brussels, bxl(2026, 11, 11, 10, 0)));
    assert!(office.is_open(Brussels, bxl(2026, 11, 10, 10, 0)));
    assert_eq!(office.next_opening(Brussels, bxl(2026, 11, 10, 18, 0)), Some(bxl(2026, 11, 12, 9, 0)));
    // Open on them: the weekly hours run.
    let mut open = office.clone();
    open.open_on_public_holidays = true;
    assert!(open.is_open(Brussels, bxl(2026, 11, 11, 10, 0)));
    // A dated exception for the holiday wins.
    let mut special = office.clone();
    special.exceptions = vec![DateException {
        date: NaiveDate::from_ymd_opt(2026, 11, 11).unwrap(),
        hours: vec![TimeRange { start: t("10:00"), end: t("12:00") }],
    }];
    assert!(special.is_open(Brussels, bxl(2026, 11, 11, 11, 0)));
    assert!(!special.is_open(Brussels, bxl(2026, 11, 11, 9, 30)));
    // A night slot from the day before closes at midnight; one starting on the holiday does not open.
    let nights = OpeningHours {
        weekly: vec![
            WeeklySlot { day: Day::Tue, start: t("22:00"), end: t("06:00") },
            WeeklySlot { day: Day::Wed, start: t("22:00"), end: t("06:00") },
        ],
        exceptions: vec![],
        open_on_public_holidays: false,
    };
    assert!(nights.is_open(Brussels, bxl(2026, 11, 10, 23, 30)));
    assert!(!nights.is_open(Brussels, bxl(2026, 11, 11, 1, 0)));
    assert!(!nights.is_open(Brussels, bxl(2026, 11, 11, 23, 0)));
    assert!(!nights.is_open(Brussels, bxl(2026, 11, 12, 1, 0)));
    assert_eq!(nights.next_opening(Brussels, bxl(2026, 11, 11, 1, 0)), Some(bxl(2026, 11, 17, 22, 0)));
}

#[test]
fn the_escalation_clock_stops_on_a_public_holiday() {
    // 1712's hours. Tuesday 10 November 16:00 → Thursday 12 November: Wednesday is a
    // holiday, so 60 minutes on Tuesday, none on Wednesday, then Thursday from 09:00.
    let office = weekdays("09:00", "17:00");
    let filed = bxl(2026, 11, 10, 16, 0);
    assert_eq!(open_minutes(&office, Brussels, filed, bxl(2026, 11, 12, 10, 0), 10_000), 120);
    // The 4-hour (240 minutes) standard escalation is reached on Thursday at 12:00, not on Wednesday.
    assert_eq!(open_minutes(&office, Brussels, filed, bxl(2026, 11, 11, 23, 59), 240), 60);
    assert_eq!(open_minutes(&office, Brussels, filed, bxl(2026, 11, 12, 11, 59), 240), 239);
    assert_eq!(open_minutes(&office, Brussels, filed, bxl(2026, 11, 12, 12, 0), 240), 240);
    // Easter Monday 2027 (29 March) likewise, after a weekend.
    let friday = bxl(2027, 3, 26, 16, 45);
    assert_eq!(open_minutes(&office, Brussels, friday, bxl(2027, 3, 30, 9, 15), 10_000), 30);
    // A line open on holidays keeps counting.
    let mut open = office.clone();
    open.open_on_public_holidays = true;
    assert_eq!(open_minutes(&open, Brussels, filed, bxl(2026, 11, 12, 10, 0), 10_000), 600);
}

#[test]
fn on_a_public_holiday_a_dutch_signal_at_ten_queues_until_the_next_opening() {
    let n = network();
    // Easter Monday 2027 at 10:00: 1712 is closed all day, so the signal waits for
    // Tuesday 09:00; it does not go to the open French line.
    let r = go(&n, Region::Brussels, 1000, Language::Nl, bxl(2027, 3, 29, 10, 0)).unwrap();
    assert_eq!((r.helpline, r.open_now), (n.nl.id, false));
    assert_eq!(r.callback_from, Some(bxl(2027, 3, 30, 9, 0)));
    // Ascension Day 2026 is a Thursday: Friday 09:00.
    let r = go(&n, Region::Flanders, 9000, Language::Nl, bxl(2026, 5, 14, 10, 0)).unwrap();
    assert_eq!((r.helpline, r.open_now, r.callback_from), (n.nl.id, false, Some(bxl(2026, 5, 15, 9, 0))));
    // Whit Monday 2026 (25 May): Tuesday 09:00.
    let r = go(&n, Region::Flanders, 9000, Language::Nl, bxl(2026, 5, 25, 10, 0)).unwrap();
    assert_eq!(r.callback_from, Some(bxl(2026, 5, 26, 9, 0)));
    // 0800 30 030 is open on public holidays.
    let r = go(&n, Region::Wallonia, 4000, Language::Fr, bxl(2027, 3, 29, 10, 0)).unwrap();
    assert_eq!((r.helpline, r.open_now), (n.fr.id, true));
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

#[test]
fn closed_because_names_the_exception_or_holiday_only_when_the_weekly_hours_would_open() {
    use super::hours::ClosedReason;
    let mut h = weekdays("09:00", "17:00");
    // Wednesday 10 March 2027: open at 10:00, outside hours at 18:00.
    assert_eq!(h.closed_because(Brussels, bxl(2027, 3, 10, 10, 0)), None);
    assert_eq!(h.closed_because(Brussels, bxl(2027, 3, 10, 18, 0)), Some(ClosedReason::OutsideHours));
    // Thursday 11 November 2027 (Armistice Day) at 10:00.
    let armistice = NaiveDate::from_ymd_opt(2027, 11, 11).unwrap();
    assert_eq!(h.closed_because(Brussels, bxl(2027, 11, 11, 10, 0)), Some(ClosedReason::PublicHoliday(armistice)));
    // Outside the weekly hours a holiday is not the reason.
    assert_eq!(h.closed_because(Brussels, bxl(2027, 11, 11, 20, 0)), Some(ClosedReason::OutsideHours));
    let closed = NaiveDate::from_ymd_opt(2027, 3, 10).unwrap();
    h.exceptions.push(DateException { date: closed, hours: vec![] });
    assert_eq!(h.closed_because(Brussels, bxl(2027, 3, 10, 10, 0)), Some(ClosedReason::DatedException(closed)));
    // A night slot cut short by the holiday the evening before: the holiday is named.
    let night = OpeningHours {
        weekly: vec![WeeklySlot { day: Day::Wed, start: t("22:00"), end: t("06:00") }],
        exceptions: vec![],
        open_on_public_holidays: false,
    };
    // Wednesday 10 November 2027 22:00 to Thursday 06:00: Thursday is the holiday.
    assert_eq!(night.closed_because(Brussels, bxl(2027, 11, 10, 23, 0)), None);
    assert_eq!(night.closed_because(Brussels, bxl(2027, 11, 11, 2, 0)), Some(ClosedReason::PublicHoliday(armistice)));
}
