use chrono::NaiveDate;

use super::*;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

const LT5: Cell = Cell::Suppressed(Suppressed::LessThanFive);

#[test]
fn months_follow_brussels_time() {
    // 23:30 UTC on 31 January is already 1 February in Brussels.
    assert_eq!(Month::of(t("2026-01-31 23:30:00")).to_string(), "2026-02");
    assert_eq!(Month::of(t("2026-01-31 22:59:59")).to_string(), "2026-01");
    assert_eq!("2026-02".parse::<Month>().unwrap().start_utc(), t("2026-01-31 23:00:00"));
    assert_eq!("2026-07".parse::<Month>().unwrap().start_utc(), t("2026-06-30 22:00:00"));
    assert_eq!("2026-01".parse::<Month>().unwrap().minus(13).to_string(), "2024-12");
    assert_eq!("2026-12".parse::<Month>().unwrap().next().to_string(), "2027-01");
    assert!("2026-13".parse::<Month>().is_err() && "26-01".parse::<Month>().is_err());
}

#[test]
fn a_minimised_day_stays_in_its_month() {
    let late = t("2026-01-31 23:30:00");
    assert_eq!(day_start(late), t("2026-01-31 23:00:00"));
    assert_eq!(Month::of(day_start(late)), Month::of(late));
    assert_eq!(day_start(t("2026-07-15 12:00:00")), t("2026-07-14 22:00:00"));
}

#[test]
fn a_month_is_final_once_every_contact_could_have_expired() {
    let m = |s: &str| s.parse::<Month>().unwrap();
    // January ends at 2026-01-31 23:00 UTC; with 7 days it is final 8 days later.
    assert_eq!(last_final_month(t("2026-02-08 22:59:00"), 7), m("2025-12"));
    assert_eq!(last_final_month(t("2026-02-08 23:00:00"), 7), m("2026-01"));
    assert_eq!(last_final_month(t("2026-02-28 12:00:00"), 30), m("2025-12"));
    let _ = NaiveDate::from_ymd_opt(2026, 1, 1);
}

#[test]
fn quantiles_are_nearest_rank_and_survive_merging() {
    let raw = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    let mut whole = Histogram::default();
    let (mut a, mut b) = (Histogram::default(), Histogram::default());
    for (i, m) in raw.iter().enumerate() {
        whole.add(*m, 1);
        if i % 2 == 0 { a.add(*m, 1) } else { b.add(*m, 1) }
    }
    a.merge(&b);
    assert_eq!(a, whole);
    // Sorted: 1 1 2 3 3 4 5 5 6 9 — median rank 5 → 3, p90 rank 9 → 6.
    assert_eq!(whole.quantile(0.5), Some(3));
    assert_eq!(whole.quantile(0.9), Some(6));
    assert_eq!(Histogram::default().quantile(0.5), None);
    assert_eq!(Histogram::from_json(&whole.to_json()), Some(whole));
}

#[test]
fn small_counts_are_hidden_and_never_alone() {
    // One small cell: the next-smallest non-zero cell is hidden with it.
    assert_eq!(suppress(29, &[3, 6, 20, 0]), (Cell::Count(29), vec![LT5, LT5, Cell::Count(20), Cell::Count(0)]));
    // Two small cells already protect each other.
    assert_eq!(suppress(25, &[2, 3, 20]), (Cell::Count(25), vec![LT5, LT5, Cell::Count(20)]));
    // Nothing small: nothing hidden; zeros are shown.
    assert_eq!(suppress(30, &[0, 10, 20]), (Cell::Count(30), vec![Cell::Count(0), Cell::Count(10), Cell::Count(20)]));
    // A small total hides everything non-zero.
    assert_eq!(suppress(4, &[1, 3, 0]), (LT5, vec![LT5, LT5, Cell::Count(0)]));
    assert_eq!(suppress(0, &[0]), (Cell::Count(0), vec![Cell::Count(0)]));
}

#[test]
fn no_hidden_cell_can_be_recomputed_from_the_total() {
    // Exhaustive over small partitions: whenever the total is shown, the hidden
    // cells are never exactly one.
    for a in 0..12 {
        for b in 0..12 {
            for c in 0..12 {
                let (total, cells) = suppress(a + b + c, &[a, b, c]);
                let hidden = cells.iter().filter(|x| x.is_suppressed()).count();
                if !total.is_suppressed() {
                    assert_ne!(hidden, 1, "{a} {b} {c} → {cells:?}");
                }
                for (n, cell) in [a, b, c].iter().zip(&cells) {
                    if (1..=4).contains(n) {
                        assert!(cell.is_suppressed());
                    }
                }
            }
        }
    }
}

#[test]
fn training_groups() {
    assert_eq!(training_group("expiring"), "trained");
    assert_eq!(training_group("lapsed"), "not_trained");
    assert_eq!(training_group("untrained"), "not_trained");
}
