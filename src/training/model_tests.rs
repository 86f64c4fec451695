//! Boundary-date tests of the training status rules.

use chrono::NaiveDate;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn done(module: TrainingModuleId, on: &str, months: u32) -> Completion {
    let completed_on = d(on);
    Completion {
        module,
        completed_on,
        expires_on: ValidityMonths::parse(i64::from(months)).unwrap().expiry(completed_on),
    }
}

fn staff(active: bool, completions: Vec<Completion>) -> StaffRecord {
    StaffRecord { active, completions }
}

fn modules() -> (TrainingModuleId, TrainingModuleId) {
    (TrainingModuleId::new(), TrainingModuleId::new())
}

#[test]
fn expiry_adds_calendar_months_and_clamps_to_month_end() {
    let v = ValidityMonths::parse(24).unwrap();
    assert_eq!(v.expiry(d("2024-05-01")), d("2026-05-01"));
    assert_eq!(ValidityMonths::parse(1).unwrap().expiry(d("2026-01-31")), d("2026-02-28"));
    assert_eq!(ValidityMonths::parse(12).unwrap().expiry(d("2024-02-29")), d("2025-02-28"));
    for bad in [0, 121, -1] {
        assert!(ValidityMonths::parse(bad).is_err());
    }
}

#[test]
fn status_walks_from_trained_to_expiring_to_lapsed_across_the_boundary_days() {
    let (a, b) = modules();
    let required = [a, b];
    // A expires 2026-05-01, B later: the relay's training ends when A does.
    let s = [staff(true, vec![done(a, "2024-05-01", 24), done(b, "2025-01-10", 24)])];
    let at = |day: &str| relay_status(&required, &s, d(day));
    assert_eq!(at("2024-04-30"), TrainingStatus::Untrained, "before any completion");
    assert_eq!(at("2024-05-01"), TrainingStatus::Untrained, "A done, B not yet: never held the full set");
    assert_eq!(at("2025-01-10"), TrainingStatus::Trained, "both valid from B's completion day");
    assert_eq!(at("2026-03-31"), TrainingStatus::Trained, "31 days before expiry");
    assert_eq!(at("2026-04-01"), TrainingStatus::Expiring, "exactly 30 days before expiry");
    assert_eq!(at("2026-04-30"), TrainingStatus::Expiring, "last valid day");
    assert_eq!(at("2026-05-01"), TrainingStatus::Lapsed, "expiry day itself");
    assert_eq!(at("2030-01-01"), TrainingStatus::Lapsed, "long after");
}

#[test]
fn a_relay_whose_only_trained_staff_member_is_deactivated_is_untrained() {
    let (a, _) = modules();
    let trained = vec![done(a, "2026-01-01", 24)];
    assert_eq!(relay_status(&[a], &[staff(true, trained.clone())], d("2026-06-01")), TrainingStatus::Trained);
    assert_eq!(relay_status(&[a], &[staff(false, trained.clone())], d("2026-06-01")), TrainingStatus::Untrained);
    // An untrained active colleague does not make it trained either.
    let both = [staff(false, trained), staff(true, vec![])];
    assert_eq!(relay_status(&[a], &both, d("2026-06-01")), TrainingStatus::Untrained);
}

#[test]
fn the_best_qualified_staff_member_decides_between_trained_and_expiring() {
    let (a, _) = modules();
    let soon = staff(true, vec![done(a, "2024-06-10", 24)]); // expires 2026-06-10
    let later = staff(true, vec![done(a, "2026-01-01", 24)]);
    let as_of = d("2026-06-01");
    assert_eq!(relay_status(&[a], std::slice::from_ref(&soon), as_of), TrainingStatus::Expiring);
    assert_eq!(relay_status(&[a], &[soon.clone(), later], as_of), TrainingStatus::Trained);
    // A lapsed colleague beside a qualified one does not drag the status down.
    let old = staff(true, vec![done(a, "2020-01-01", 24)]);
    assert_eq!(relay_status(&[a], &[old, soon], as_of), TrainingStatus::Expiring);
}

#[test]
fn a_renewal_before_expiry_extends_the_training() {
    let (a, _) = modules();
    let s = [staff(true, vec![done(a, "2024-05-01", 24), done(a, "2026-04-15", 24)])];
    assert_eq!(relay_status(&[a], &s, d("2026-04-14")), TrainingStatus::Expiring);
    assert_eq!(relay_status(&[a], &s, d("2026-04-15")), TrainingStatus::Trained);
    assert_eq!(relay_status(&[a], &s, d("2026-05-01")), TrainingStatus::Trained);
}

#[test]
fn completions_in_the_future_do_not_count_yet() {
    let (a, _) = modules();
    let s = [staff(true, vec![done(a, "2026-07-01", 24)])];
    assert_eq!(relay_status(&[a], &s, d("2026-06-30")), TrainingStatus::Untrained);
    assert_eq!(relay_status(&[a], &s, d("2026-07-01")), TrainingStatus::Trained);
}

#[test]
fn optional_modules_do_not_matter_and_no_required_module_means_untrained() {
    let (a, optional) = modules();
    let s = [staff(true, vec![done(a, "2026-01-01", 24)])];
    assert_eq!(relay_status(&[a], &s, d("2026-02-01")), TrainingStatus::Trained);
    let only_optional = [staff(true, vec![done(optional, "2026-01-01", 24)])];
    assert_eq!(relay_status(&[a], &only_optional, d("2026-02-01")), TrainingStatus::Untrained);
    assert_eq!(relay_status(&[], &s, d("2026-02-01")), TrainingStatus::Untrained);
    assert_eq!(relay_status(&[a], &[], d("2026-02-01")), TrainingStatus::Untrained);
}

#[test]
fn all_required_modules_must_be_valid_on_the_same_day() {
    let (a, b) = modules();
    // A lapsed before B was done: each was completed once, never both valid together.
    let s = [staff(true, vec![done(a, "2020-01-01", 12), done(b, "2026-01-01", 24)])];
    assert_eq!(relay_status(&[a, b], &s, d("2026-02-01")), TrainingStatus::Lapsed);
    // Two people each holding one module do not add up to a trained relay.
    let split = [staff(true, vec![done(a, "2026-01-01", 24)]), staff(true, vec![done(b, "2026-01-01", 24)])];
    assert_eq!(relay_status(&[a, b], &split, d("2026-02-01")), TrainingStatus::Untrained);
}

#[test]
fn qualified_until_is_the_earliest_expiry_of_the_required_set() {
    let (a, b) = modules();
    let c = [done(a, "2025-01-01", 24), done(b, "2025-06-01", 12)];
    assert_eq!(qualified_until(&[a, b], &c, d("2025-07-01")), Some(d("2026-06-01")));
    assert_eq!(qualified_until(&[a, b], &c, d("2026-06-01")), None);
}

#[test]
fn module_standing_follows_the_same_boundaries() {
    let (a, b) = modules();
    let c = [done(a, "2024-05-01", 24)];
    assert_eq!(module_standing(&c, a, d("2026-03-31")), ModuleStanding::Valid);
    assert_eq!(module_standing(&c, a, d("2026-04-01")), ModuleStanding::Expiring);
    assert_eq!(module_standing(&c, a, d("2026-05-01")), ModuleStanding::Lapsed);
    assert_eq!(module_standing(&c, b, d("2026-05-01")), ModuleStanding::Missing);
    assert_eq!(module_standing(&c, a, d("2024-04-30")), ModuleStanding::Missing);
}

#[test]
fn statuses_round_trip_through_text() {
    for s in TrainingStatus::ALL {
        assert_eq!(s.as_str().parse::<TrainingStatus>(), Ok(s));
    }
    for k in ModuleKind::ALL {
        assert_eq!(k.as_str().parse::<ModuleKind>(), Ok(k));
    }
}
