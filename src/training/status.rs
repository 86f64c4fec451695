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
///
/// Intake keeps single relay points' statuses the same way (`relay_status`): a
/// signal then costs no training query while nothing changed.
#[derive(Default)]
pub struct StatusCache {
    programmes: std::sync::Mutex<HashMap<ProgrammeId, Kept>>,
    relays: std::sync::Mutex<KeptRelays>,
}

/// Statuses kept with the stamp and day they were derived for.
type Kept = (i64, NaiveDate, std::sync::Arc<Statuses>);

/// Single relay points' statuses, all derived under one stamp (a new stamp empties
/// the map, so it holds at most the relay points that filed since the last change).
#[derive(Default)]
struct KeptRelays {
    version: i64,
    statuses: HashMap<RelayPointId, (NaiveDate, TrainingStatus)>,
}

impl StatusCache {
    /// `programme_statuses`, from memory when nothing changed since.
    pub fn statuses(
        &self,
        conn: &mut AnyConnection,
        programme: ProgrammeId,
        as_of: NaiveDate,
    ) -> diesel::QueryResult<std::sync::Arc<Statuses>> {
        let version = version(conn)?;
        let kept = self.programmes.lock().ok().and_then(|m| m.get(&programme).cloned());
        if let Some((v, day, statuses)) = kept
            && v == version
            && day == as_of
        {
            return Ok(statuses);
        }
        // Derived after the stamp was read: a change committed in between is in
        // them, and the older stamp kept makes the next request derive again.
        let statuses = std::sync::Arc::new(programme_statuses(conn, programme, as_of)?);
        if let Ok(mut m) = self.programmes.lock() {
            m.insert(programme, (version, as_of, statuses.clone()));
        }
        Ok(statuses)
    }

    /// `relay_point_status`, from memory when the stamp, read by the caller as
    /// `version` (intake reads it with the network's), has not moved since.
    pub fn relay_status(
        &self,
        conn: &mut AnyConnection,
        programme: ProgrammeId,
        relay: RelayPointId,
        as_of: NaiveDate,
        version: i64,
    ) -> diesel::QueryResult<TrainingStatus> {
        if let Ok(kept) = self.relays.lock()
            && kept.version == version
            && let Some((day, status)) = kept.statuses.get(&relay)
            && *day == as_of
        {
            return Ok(*status);
        }
        // Derived after the stamp was read, as for a programme's statuses.
        let status = relay_point_status(conn, programme, relay, as_of)?;
        if let Ok(mut kept) = self.relays.lock() {
            if kept.version != version {
                // Only a newer stamp replaces the map: a request that read an older
                // one (before a change) must not bring back what it outdated.
                if version < kept.version {
                    return Ok(status);
                }
                *kept = KeptRelays { version, statuses: HashMap::new() };
            }
            kept.statuses.insert(relay, (as_of, status));
        }
        Ok(status)
    }
}

/// The stamp every write to relay staff, modules or completions bumps.
pub fn version(conn: &mut AnyConnection) -> diesel::QueryResult<i64> {
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
