//! Diesel queries on `training_modules`, `training_completions` and what the
//! status rules need: a programme's required modules, active staff and completions.

use crate::domain::{ProgrammeId, RelayPointId, TrainingModuleId, UserId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::Completion;
use crate::db::AnyConnection;
use crate::db::schema::{training_completions, training_modules, users};

/// A `training_modules` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = training_modules)]
pub struct ModuleRow {
    pub id: String,
    pub programme_id: String,
    pub title: String,
    pub kind: String,
    pub validity_months: i32,
    pub required: bool,
    pub created_at: NaiveDateTime,
}

/// A `training_completions` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = training_completions)]
pub struct CompletionRow {
    pub id: String,
    pub user_id: String,
    pub module_id: String,
    pub completed_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub recorded_by: Option<String>,
    pub certificate_ref: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_module(conn: &mut AnyConnection, m: &ModuleRow) -> QueryResult<()> {
    diesel::insert_into(training_modules::table).values(m).execute(conn).map(|_| ())
}

/// Modules of a programme ordered by title, after `after`.
pub fn list_modules(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    after: Option<&str>,
    limit: Option<i64>,
) -> QueryResult<Vec<ModuleRow>> {
    let mut q = training_modules::table
        .filter(training_modules::programme_id.eq(programme.to_string()))
        .select(ModuleRow::as_select())
        .order(training_modules::title.asc())
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(training_modules::title.gt(after.to_string()));
    }
    if let Some(limit) = limit {
        q = q.limit(limit);
    }
    q.load(conn)
}

/// A module, only if it belongs to `programme`.
pub fn find_module(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    id: TrainingModuleId,
) -> QueryResult<Option<ModuleRow>> {
    training_modules::table
        .find(id.to_string())
        .filter(training_modules::programme_id.eq(programme.to_string()))
        .select(ModuleRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_completion(conn: &mut AnyConnection, c: &CompletionRow) -> QueryResult<()> {
    diesel::insert_into(training_completions::table).values(c).execute(conn).map(|_| ())
}

pub fn completion_exists(
    conn: &mut AnyConnection,
    user: UserId,
    module: TrainingModuleId,
    on: NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        training_completions::table
            .filter(training_completions::user_id.eq(user.to_string()))
            .filter(training_completions::module_id.eq(module.to_string()))
            .filter(training_completions::completed_on.eq(on)),
    ))
    .get_result(conn)
}

/// Completions of one person, newest first.
pub fn completions_of(conn: &mut AnyConnection, user: UserId) -> QueryResult<Vec<CompletionRow>> {
    training_completions::table
        .filter(training_completions::user_id.eq(user.to_string()))
        .select(CompletionRow::as_select())
        .order((training_completions::completed_on.desc(), training_completions::id.asc()))
        .load(conn)
}

/// Completions recorded in a programme, ordered by id, after `after`; optionally one person's.
pub fn list_completions(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    user: Option<UserId>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<CompletionRow>> {
    let mut q = training_completions::table
        .inner_join(training_modules::table)
        .filter(training_modules::programme_id.eq(programme.to_string()))
        .select(CompletionRow::as_select())
        .order(training_completions::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(user) = user {
        q = q.filter(training_completions::user_id.eq(user.to_string()));
    }
    if let Some(after) = after {
        q = q.filter(training_completions::id.gt(after.to_string()));
    }
    q.load(conn)
}

/// Everything the status rules need for one programme, in three queries.
pub struct StatusInputs {
    pub required: Vec<TrainingModuleId>,
    /// Active relay staff: (relay point, user).
    pub staff: Vec<(RelayPointId, UserId)>,
    /// Completions of required modules by those staff.
    pub completions: Vec<(UserId, Completion)>,
}

/// What status derivation needs for a programme, or for one of its relay points.
pub fn status_inputs(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    relay: Option<RelayPointId>,
) -> QueryResult<StatusInputs> {
    let p = programme.to_string();
    let relay = relay.map(|r| r.to_string());
    let required: Vec<String> = training_modules::table
        .filter(training_modules::programme_id.eq(&p))
        .filter(training_modules::required.eq(true))
        .select(training_modules::id)
        .load(conn)?;
    let mut staff_q = users::table
        .filter(users::programme_id.eq(&p))
        .filter(users::role.eq("relay_staff"))
        .filter(users::active.eq(true))
        .select((users::relay_point_id, users::id))
        .into_boxed();
    let mut completions_q = training_completions::table
        .inner_join(training_modules::table)
        .inner_join(users::table.on(users::id.eq(training_completions::user_id)))
        .filter(training_modules::programme_id.eq(&p))
        .filter(training_modules::required.eq(true))
        .filter(users::active.eq(true))
        .select((
            training_completions::user_id,
            training_completions::module_id,
            training_completions::completed_on,
            training_completions::expires_on,
        ))
        .into_boxed();
    if let Some(r) = relay {
        staff_q = staff_q.filter(users::relay_point_id.eq(r.clone()));
        completions_q = completions_q.filter(users::relay_point_id.eq(r));
    }
    let staff: Vec<(Option<String>, String)> = staff_q.load(conn)?;
    let completions: Vec<(String, String, NaiveDate, NaiveDate)> = completions_q.load(conn)?;
    Ok(StatusInputs {
        required: required.iter().filter_map(|m| TrainingModuleId::parse(m)).collect(),
        staff: staff
            .into_iter()
            .filter_map(|(r, u)| Some((RelayPointId::parse(r.as_deref()?)?, UserId::parse(&u)?)))
            .collect(),
        completions: completions
            .into_iter()
            .filter_map(|(u, m, completed_on, expires_on)| {
                Some((
                    UserId::parse(&u)?,
                    Completion { module: TrainingModuleId::parse(&m)?, completed_on, expires_on },
                ))
            })
            .collect(),
    })
}
