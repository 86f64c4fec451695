//! Training status of every relay point of a programme, from the database, through
//! the pure rules in `model.rs`.

use crate::domain::TrainingStatus;
use crate::domain::{ProgrammeId, RelayPointId};
use std::collections::HashMap;

use chrono::NaiveDate;

use super::model::{StaffRecord, relay_status};
use super::store;
use crate::db::AnyConnection;

/// Statuses by relay point; a relay point absent from the map is `untrained`.
pub struct Statuses(HashMap<RelayPointId, TrainingStatus>);

/// Each programme's statuses of a day, kept while the `training_version` stamp
/// stays the same: every write to relay staff accounts, modules or completions
/// bumps it in its transaction ([`bump`]), so a page never shows a status older
/// than the last committed change, on any instance.
#[derive(Default)]
pub struct StatusCache(std::sync::Mutex<HashMap<ProgrammeId, Kept>>);

/// Statuses kept with the stamp and day they were derived for.
type Kept = (i64, NaiveDate, std::sync::Arc<Statuses>);

impl StatusCache {
    /// `programme_statuses`, from memory when nothing changed since.
    pub fn statuses(
        &self,
        conn: &mut AnyConnection,
        programme: ProgrammeId,
        as_of: NaiveDate,
    ) -> diesel::QueryResult<std::sync::Arc<Statuses>> {
        let version = version(conn)?;
        let kept = self.0.lock().ok().and_then(|m| m.get(&programme).cloned());
        if let Some((v, day, statuses)) = kept
            && v == version
            && day == as_of
        {
            return Ok(statuses);
        }
        // Derived after the stamp was read: a change committed in between is in
        // them, and the older stamp kept makes the next request derive again.
        let statuses = std::sync::Arc::new(programme_statuses(conn, programme, as_of)?);
        if let Ok(mut m) = self.0.lock() {
            m.insert(programme, (version, as_of, statuses.clone()));
        }
        Ok(statuses)
    }
}

fn version(conn: &mut AnyConnection) -> diesel::QueryResult<i64> {
    use crate::db::schema::training_version;
    use diesel::prelude::*;
    training_version::table.find(1).select(training_version::version).first(conn)
}

/// Marks training statuses changed; call it in the transaction of the change.
pub fn bump(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    use crate::db::schema::training_version;
    use diesel::prelude::*;
    diesel::update(training_version::table.find(1))
        .set(training_version::version.eq(training_version::version + 1))
        .execute(conn)
        .map(|_| ())
}

impl Statuses {
    pub fn of(&self, relay: RelayPointId) -> TrainingStatus {
        self.0.get(&relay).copied().unwrap_or(TrainingStatus::Untrained)
    }
}

/// Computes the status of every relay point of `programme` on `as_of`. Three
/// queries whatever the programme's size, then the pure rules per relay point.
pub fn programme_statuses(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    as_of: NaiveDate,
) -> diesel::QueryResult<Statuses> {
    let inputs = store::status_inputs(conn, programme, None, as_of)?;
    let mut by_user: HashMap<_, Vec<_>> = HashMap::new();
    for (user, completion) in inputs.completions {
        by_user.entry(user).or_default().push(completion);
    }
    let mut by_relay: HashMap<RelayPointId, Vec<StaffRecord>> = HashMap::new();
    for (relay, user) in inputs.staff {
        let completions = by_user.remove(&user).unwrap_or_default();
        by_relay.entry(relay).or_default().push(StaffRecord { active: true, completions });
    }
    Ok(Statuses(
        by_relay.into_iter().map(|(relay, staff)| (relay, relay_status(&inputs.required, &staff, as_of))).collect(),
    ))
}

/// The status of one relay point on `as_of` (signal intake flags untrained relays).
pub fn relay_point_status(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    relay: RelayPointId,
    as_of: NaiveDate,
) -> diesel::QueryResult<TrainingStatus> {
    let inputs = store::status_inputs(conn, programme, Some(relay), as_of)?;
    let staff: Vec<StaffRecord> = inputs
        .staff
        .iter()
        .map(|(_, user)| StaffRecord {
            active: true,
            completions: inputs.completions.iter().filter(|(u, _)| u == user).map(|(_, c)| *c).collect(),
        })
        .collect();
    Ok(relay_status(&inputs.required, &staff, as_of))
}

/// Each active staff member of one relay point: the first day their completions
/// no longer cover every required module, or `None` when they do not cover them
/// on `as_of` (see [`super::model::qualified_until`]). Three queries.
pub fn staff_qualified_until(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    relay: RelayPointId,
    as_of: NaiveDate,
) -> diesel::QueryResult<HashMap<crate::domain::UserId, Option<NaiveDate>>> {
    let inputs = store::status_inputs(conn, programme, Some(relay), as_of)?;
    Ok(inputs
        .staff
        .iter()
        .map(|(_, user)| {
            let completions: Vec<_> = inputs.completions.iter().filter(|(u, _)| u == user).map(|(_, c)| *c).collect();
            (*user, super::model::qualified_until(&inputs.required, &completions, as_of))
        })
        .collect())
}
