//! Training types and rules, free of I/O: modules, recorded completions, what the
//! reminder job reads, module kinds, validity, expiry dates, and the derived
//! training status of a relay point (docs/ARCHITECTURE.md, "Relay network and training"),
//! as a pure function of the required modules, the staff's completions and a date.
//!
//! Date semantics, used everywhere: a completion is valid from `completed_on` up to
//! and including the day before `expires_on` (`completed_on <= d < expires_on`);
//! on `expires_on` it has lapsed. "Lapses within 30 days" means the first day
//! without valid training is at most 30 days after the as-of date.

use std::str::FromStr;

use chrono::{Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::domain::{
    CompletionId, Email, ProgrammeId, RelayPointId, StaffLanguage, Text, TrainingModuleId, TrainingStatus, UserId,
};
use crate::http::error::FieldError;

/// Days before expiry in which training counts as `expiring` and staff are reminded.
pub const EXPIRING_WINDOW_DAYS: i64 = 30;

/// How a module is taught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModuleKind {
    ELearning,
    Video,
    InPerson,
}

impl ModuleKind {
    pub const ALL: [ModuleKind; 3] = [Self::ELearning, Self::Video, Self::InPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ELearning => "e_learning",
            Self::Video => "video",
            Self::InPerson => "in_person",
        }
    }
}

impl FromStr for ModuleKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// How long a completion stays valid: 1–120 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidityMonths(u32);

impl ValidityMonths {
    pub fn parse(n: i64) -> Result<Self, FieldError> {
        u32::try_from(n)
            .ok()
            .filter(|m| (1..=120).contains(m))
            .map(Self)
            .ok_or_else(|| FieldError::new("validity_months", "must be between 1 and 120"))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// The expiry of a completion on `completed_on`: the same day of the month,
    /// `n` months later (clamped to the month's end: 31 Jan + 1 month = 28/29 Feb).
    pub fn expiry(self, completed_on: NaiveDate) -> NaiveDate {
        completed_on.checked_add_months(Months::new(self.0)).unwrap_or(NaiveDate::MAX)
    }
}

/// A training module of a programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingModule {
    pub id: TrainingModuleId,
    pub programme_id: ProgrammeId,
    pub title: Text,
    pub kind: ModuleKind,
    pub validity: ValidityMonths,
    /// Counts for the relay point's training status.
    pub required: bool,
    pub created_at: NaiveDateTime,
    /// Retired: from this day on it no longer counts as required.
    pub retired_on: Option<NaiveDate>,
}

impl TrainingModule {
    /// Whether the module counts for a relay point's status on `day`.
    pub fn counts_on(&self, day: NaiveDate) -> bool {
        self.required && self.retired_on.is_none_or(|r| day < r)
    }
}

/// A completion recorded by a manager (one by one or by import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCompletion {
    pub id: CompletionId,
    pub user_id: UserId,
    pub module_id: TrainingModuleId,
    pub completed_on: NaiveDate,
    /// First day the completion no longer counts.
    pub expires_on: NaiveDate,
    pub recorded_by: Option<UserId>,
    pub certificate_ref: Option<Text>,
    pub created_at: NaiveDateTime,
}

impl RecordedCompletion {
    /// The completion as the status rules see it.
    pub fn span(&self) -> Completion {
        Completion { module: self.module_id, completed_on: self.completed_on, expires_on: self.expires_on }
    }
}

/// A required completion of an active staff member expiring soon, with what the
/// reminder to that person needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringTraining {
    pub user_id: UserId,
    pub email: Email,
    pub language: StaffLanguage,
    pub relay_name: String,
    pub module_id: TrainingModuleId,
    pub module_title: String,
    pub expires_on: NaiveDate,
}

/// An active relay point of a programme and its status at the last digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelaySnapshot {
    pub relay_point_id: RelayPointId,
    pub name: String,
    pub municipality: String,
    /// `None` before the first digest that saw it.
    pub previous: Option<TrainingStatus>,
}

/// One completion as the status rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completion {
    pub module: TrainingModuleId,
    pub completed_on: NaiveDate,
    pub expires_on: NaiveDate,
}

impl Completion {
    pub fn valid_on(&self, d: NaiveDate) -> bool {
        self.completed_on <= d && d < self.expires_on
    }
}

/// A staff member of a relay point and their completions (any module).
#[derive(Debug, Clone, Default)]
pub struct StaffRecord {
    pub active: bool,
    pub completions: Vec<Completion>,
}

/// The first day on which `completions` no longer cover every required module, if
/// they all cover it on `as_of`; `None` when not qualified on `as_of` (or when
/// nothing is required).
pub fn qualified_until(
    required: &[TrainingModuleId],
    completions: &[Completion],
    as_of: NaiveDate,
) -> Option<NaiveDate> {
    if required.is_empty() {
        return None;
    }
    required
        .iter()
        .map(|m| completions.iter().filter(|c| c.module == *m && c.valid_on(as_of)).map(|c| c.expires_on).max())
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .min()
}

/// True when every required module has been completed at least once by `as_of`.
fn completed_all_once(required: &[TrainingModuleId], completions: &[Completion], as_of: NaiveDate) -> bool {
    !required.is_empty()
        && required.iter().all(|m| completions.iter().any(|c| c.module == *m && c.completed_on <= as_of))
}

/// The training status of one relay point on `as_of`. Inactive staff count for
/// nothing: a relay whose only trained member was deactivated is not trained.
pub fn relay_status(required: &[TrainingModuleId], staff: &[StaffRecord], as_of: NaiveDate) -> TrainingStatus {
    let active = || staff.iter().filter(|s| s.active);
    let best = active().filter_map(|s| qualified_until(required, &s.completions, as_of)).max();
    match best {
        Some(until) if (until - as_of).num_days() <= EXPIRING_WINDOW_DAYS => TrainingStatus::Expiring,
        Some(_) => TrainingStatus::Trained,
        None if active().any(|s| completed_all_once(required, &s.completions, as_of)) => TrainingStatus::Lapsed,
        None => TrainingStatus::Untrained,
    }
}

/// Where one person stands on one module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModuleStanding {
    Valid,
    Expiring,
    Lapsed,
    Missing,
}

/// A person's standing on a module from their completions of it.
pub fn module_standing(completions: &[Completion], module: TrainingModuleId, as_of: NaiveDate) -> ModuleStanding {
    let of_module = || completions.iter().filter(|c| c.module == module && c.completed_on <= as_of);
    match of_module().filter(|c| c.valid_on(as_of)).map(|c| c.expires_on).max() {
        Some(until) if (until - as_of).num_days() <= EXPIRING_WINDOW_DAYS => ModuleStanding::Expiring,
        Some(_) => ModuleStanding::Valid,
        None if of_module().next().is_some() => ModuleStanding::Lapsed,
        None => ModuleStanding::Missing,
    }
}

/// What a list of a programme's completions is narrowed to (each filter optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompletionFilter {
    /// A relay point: its id, or text found in its name or external id.
    pub relay: Option<String>,
    /// Text found in the staff member's e-mail address.
    pub staff: Option<String>,
    pub module: Option<TrainingModuleId>,
}

/// A completion with what a manager reads beside it: the person, their relay
/// point and the module's title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionLine {
    pub completion: RecordedCompletion,
    pub email: String,
    pub relay: Option<(RelayPointId, String)>,
    pub module_title: String,
}

/// A reminder the job sent: when, to whom (and their relay point), about which
/// module's completion expiring on which day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentReminder {
    pub sent_at: NaiveDateTime,
    pub email: String,
    pub relay: Option<(RelayPointId, String)>,
    pub module_title: String,
    pub expires_on: NaiveDate,
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
