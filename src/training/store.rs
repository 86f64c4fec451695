//! Diesel queries on `training_modules`, `training_completions` and what the
//! status rules need: a programme's required modules, active staff and completions.

use crate::domain::{CompletionId, ProgrammeId, RelayPointId, Text, TrainingModuleId, UserId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{
    Completion, CompletionFilter, CompletionLine, ModuleKind, RecordedCompletion, TrainingModule, ValidityMonths,
};
use crate::db::schema::{relay_points, training_completions, training_modules, users};
use crate::db::{AnyConnection, corrupt};

/// A `training_modules` row, read and written only here: the rest of the code sees
/// [`TrainingModule`], converted once below.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = training_modules)]
struct ModuleRow {
    id: String,
    programme_id: String,
    title: String,
    kind: String,
    validity_months: i32,
    required: bool,
    created_at: NaiveDateTime,
    retired_on: Option<NaiveDate>,
}

impl TryFrom<ModuleRow> for TrainingModule {
    type Error = diesel::result::Error;
    fn try_from(r: ModuleRow) -> QueryResult<Self> {
        let corrupt = |what| corrupt("training_modules", what);
        Ok(TrainingModule {
            id: TrainingModuleId::parse(&r.id).ok_or_else(|| corrupt("id"))?,
            programme_id: ProgrammeId::parse(&r.programme_id).ok_or_else(|| corrupt("programme_id"))?,
            title: Text::parse("title", &r.title, 200).map_err(|_| corrupt("title"))?,
            kind: r.kind.parse::<ModuleKind>().map_err(|()| corrupt("kind"))?,
            validity: ValidityMonths::parse(i64::from(r.validity_months)).map_err(|_| corrupt("validity_months"))?,
            required: r.required,
            created_at: r.created_at,
            retired_on: r.retired_on,
        })
    }
}

impl From<&TrainingModule> for ModuleRow {
    fn from(m: &TrainingModule) -> Self {
        Self {
            id: m.id.to_string(),
            programme_id: m.programme_id.to_string(),
            title: m.title.as_str().to_string(),
            kind: m.kind.as_str().into(),
            validity_months: i32::try_from(m.validity.get()).unwrap_or(i32::MAX),
            required: m.required,
            created_at: m.created_at,
            retired_on: m.retired_on,
        }
    }
}

/// A `training_completions` row, read and written only here: the rest of the code
/// sees [`RecordedCompletion`], converted once below.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = training_completions)]
struct CompletionRow {
    id: String,
    user_id: String,
    module_id: String,
    completed_on: NaiveDate,
    expires_on: NaiveDate,
    recorded_by: Option<String>,
    certificate_ref: Option<String>,
    created_at: NaiveDateTime,
}

impl TryFrom<CompletionRow> for RecordedCompletion {
    type Error = diesel::result::Error;
    fn try_from(r: CompletionRow) -> QueryResult<Self> {
        let corrupt = |what| corrupt("training_completions", what);
        Ok(RecordedCompletion {
            id: CompletionId::parse(&r.id).ok_or_else(|| corrupt("id"))?,
            user_id: UserId::parse(&r.user_id).ok_or_else(|| corrupt("user_id"))?,
            module_id: TrainingModuleId::parse(&r.module_id).ok_or_else(|| corrupt("module_id"))?,
            completed_on: r.completed_on,
            expires_on: r.expires_on,
            recorded_by: r.recorded_by.map(|u| UserId::parse(&u).ok_or_else(|| corrupt("recorded_by"))).transpose()?,
            certificate_ref: r
                .certificate_ref
                .map(|c| Text::parse("certificate_ref", &c, 100).map_err(|_| corrupt("certificate_ref")))
                .transpose()?,
            created_at: r.created_at,
        })
    }
}

impl From<&RecordedCompletion> for CompletionRow {
    fn from(c: &RecordedCompletion) -> Self {
        Self {
            id: c.id.to_string(),
            user_id: c.user_id.to_string(),
            module_id: c.module_id.to_string(),
            completed_on: c.completed_on,
            expires_on: c.expires_on,
            recorded_by: c.recorded_by.map(|u| u.to_string()),
            certificate_ref: c.certificate_ref.as_ref().map(|t| t.as_str().to_string()),
            created_at: c.created_at,
        }
    }
}

fn convert<R, T: TryFrom<R, Error = diesel::result::Error>>(rows: Vec<R>) -> QueryResult<Vec<T>> {
    rows.into_iter().map(T::try_from).collect()
}

pub fn insert_module(conn: &mut AnyConnection, m: &TrainingModule) -> QueryResult<()> {
    diesel::insert_into(training_modules::table).values(ModuleRow::from(m)).execute(conn)?;
    super::status::bump(conn)
}

/// Modules of a programme ordered by title, after the title `after` (a cursor's sort key).
pub fn list_modules(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    after: Option<&str>,
    limit: Option<i64>,
) -> QueryResult<Vec<TrainingModule>> {
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
    convert(q.load(conn)?)
}

/// A module, only if it belongs to `programme`.
pub fn find_module(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    id: TrainingModuleId,
) -> QueryResult<Option<TrainingModule>> {
    training_modules::table
        .find(id.to_string())
        .filter(training_modules::programme_id.eq(programme.to_string()))
        .select(ModuleRow::as_select())
        .first(conn)
        .optional()?
        .map(TrainingModule::try_from)
        .transpose()
}

pub fn insert_completion(conn: &mut AnyConnection, c: &RecordedCompletion) -> QueryResult<()> {
    diesel::insert_into(training_completions::table).values(CompletionRow::from(c)).execute(conn)?;
    super::status::bump(conn)
}

/// Inserts several completions (an import), one statement each.
pub fn insert_completions(conn: &mut AnyConnection, completions: &[RecordedCompletion]) -> QueryResult<()> {
    completions.iter().try_for_each(|c| insert_completion(conn, c))
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
pub fn completions_of(conn: &mut AnyConnection, user: UserId) -> QueryResult<Vec<RecordedCompletion>> {
    convert(
        training_completions::table
            .filter(training_completions::user_id.eq(user.to_string()))
            .select(CompletionRow::as_select())
            .order((training_completions::completed_on.desc(), training_completions::id.asc()))
            .load(conn)?,
    )
}

/// Completions recorded in a programme, ordered by id, after `after` (a cursor's
/// sort key, compared as text); optionally one person's.
pub fn list_completions(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    user: Option<UserId>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<RecordedCompletion>> {
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
    convert(q.load(conn)?)
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
    as_of: NaiveDate,
) -> QueryResult<StatusInputs> {
    let p = programme.to_string();
    let relay = relay.map(|r| r.to_string());
    let required: Vec<String> = training_modules::table
        .filter(training_modules::programme_id.eq(&p))
        .filter(training_modules::required.eq(true))
        .filter(training_modules::retired_on.is_null().or(training_modules::retired_on.gt(as_of)))
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
        .filter(training_modules::retired_on.is_null().or(training_modules::retired_on.gt(as_of)))
        .filter(users::active.eq(true))
        .select((
            training_completions::user_id,
            training_completions::module_id,
            training_completions::completed_on,
            training_completions::expires_on,
        ))
        .into_boxed();
    let one_relay = relay.is_some();
    if let Some(r) = relay {
        staff_q = staff_q.filter(users::relay_point_id.eq(r));
    }
    let staff: Vec<(Option<String>, String)> = staff_q.load(conn)?;
    if one_relay {
        // One relay point's few staff members, by id: the completions' `user_id`
        // index then answers (joined by relay point, SQLite's planner may start
        // from the module and read every completion of the programme).
        let ids: Vec<String> = staff.iter().map(|(_, u)| u.clone()).collect();
        completions_q = completions_q.filter(training_completions::user_id.eq_any(ids));
    }
    let completions: Vec<(String, String, NaiveDate, NaiveDate)> = completions_q.load(conn)?;
    Ok(StatusInputs {
        required: required
            .iter()
            .map(|m| TrainingModuleId::parse(m).ok_or_else(|| corrupt("training_modules", "id")))
            .collect::<QueryResult<_>>()?,
        // Staff not (yet) at a relay point count for no relay point.
        staff: staff
            .into_iter()
            .filter_map(|(r, u)| Some((r?, u)))
            .map(|(r, u)| {
                let relay = RelayPointId::parse(&r).ok_or_else(|| corrupt("users", "relay_point_id"))?;
                Ok((relay, UserId::parse(&u).ok_or_else(|| corrupt("users", "id"))?))
            })
            .collect::<QueryResult<_>>()?,
        completions: completions
            .into_iter()
            .map(|(u, m, completed_on, expires_on)| {
                let corrupt = |what| corrupt("training_completions", what);
                let module = TrainingModuleId::parse(&m).ok_or_else(|| corrupt("module_id"))?;
                let user = UserId::parse(&u).ok_or_else(|| corrupt("user_id"))?;
                Ok((user, Completion { module, completed_on, expires_on }))
            })
            .collect::<QueryResult<_>>()?,
    })
}

// Editing and retiring modules; correcting and deleting completions.

/// Stores a module's editable fields (title, validity, required).
pub fn update_module(conn: &mut AnyConnection, m: &TrainingModule) -> QueryResult<usize> {
    let n = diesel::update(training_modules::table.find(m.id.to_string()))
        .set((
            training_modules::title.eq(m.title.as_str()),
            training_modules::validity_months.eq(i32::try_from(m.validity.get()).unwrap_or(i32::MAX)),
            training_modules::required.eq(m.required),
        ))
        .execute(conn)?;
    super::status::bump(conn)?;
    Ok(n)
}

/// Retires a module from `from` (or moves the date of an earlier retirement).
pub fn retire_module(conn: &mut AnyConnection, id: TrainingModuleId, from: NaiveDate) -> QueryResult<usize> {
    let n = diesel::update(training_modules::table.find(id.to_string()))
        .set(training_modules::retired_on.eq(Some(from)))
        .execute(conn)?;
    super::status::bump(conn)?;
    Ok(n)
}

/// A completion of the programme's modules, by id.
pub fn find_completion(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    id: CompletionId,
) -> QueryResult<Option<RecordedCompletion>> {
    training_completions::table
        .inner_join(training_modules::table)
        .filter(training_completions::id.eq(id.to_string()))
        .filter(training_modules::programme_id.eq(programme.to_string()))
        .select(CompletionRow::as_select())
        .first(conn)
        .optional()?
        .map(RecordedCompletion::try_from)
        .transpose()
}

/// Stores a corrected completion (day, expiry, certificate reference).
pub fn update_completion(conn: &mut AnyConnection, c: &RecordedCompletion) -> QueryResult<usize> {
    let n = diesel::update(training_completions::table.find(c.id.to_string()))
        .set((
            training_completions::completed_on.eq(c.completed_on),
            training_completions::expires_on.eq(c.expires_on),
            training_completions::certificate_ref.eq(c.certificate_ref.as_ref().map(|t| t.as_str().to_string())),
        ))
        .execute(conn)?;
    super::status::bump(conn)?;
    Ok(n)
}

pub fn delete_completion(conn: &mut AnyConnection, id: CompletionId) -> QueryResult<usize> {
    let n = diesel::delete(training_completions::table.find(id.to_string())).execute(conn)?;
    super::status::bump(conn)?;
    Ok(n)
}

/// One line of the completions export.
pub struct ExportedCompletion {
    pub email: String,
    pub relay_external_id: Option<String>,
    pub relay_name: Option<String>,
    pub module: String,
    pub completed_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub certificate_ref: Option<String>,
}

/// Every completion of the programme, by staff e-mail, module and day.
pub fn export_completions(conn: &mut AnyConnection, programme: ProgrammeId) -> QueryResult<Vec<ExportedCompletion>> {
    type Row = (String, Option<String>, Option<String>, String, NaiveDate, NaiveDate, Option<String>);
    let rows: Vec<Row> = training_completions::table
        .inner_join(training_modules::table)
        .inner_join(users::table.on(users::id.eq(training_completions::user_id)))
        .left_join(relay_points::table.on(relay_points::id.nullable().eq(users::relay_point_id)))
        .filter(training_modules::programme_id.eq(programme.to_string()))
        .select((
            users::email,
            relay_points::external_id.nullable(),
            relay_points::name.nullable(),
            training_modules::title,
            training_completions::completed_on,
            training_completions::expires_on,
            training_completions::certificate_ref,
        ))
        .order((users::email.asc(), training_modules::title.asc(), training_completions::completed_on.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(email, relay_external_id, relay_name, module, completed_on, expires_on, certificate_ref)| {
            ExportedCompletion {
                email,
                relay_external_id,
                relay_name,
                module,
                completed_on,
                expires_on,
                certificate_ref,
            }
        })
        .collect())
}

// The console's list of completions: filtered, counted, one page at a time.

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// `%text%` for `LIKE`, lower-cased, its wildcards escaped with `\`.
fn like_pattern(text: &str) -> String {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// The completions of a programme's modules with their person, relay point and
/// module, narrowed by `$filter` (boxed, so the page and the count share it).
macro_rules! filtered_completions {
    ($programme:expr, $filter:expr) => {{
        let f: &CompletionFilter = $filter;
        let mut q = training_completions::table
            .inner_join(training_modules::table)
            .inner_join(users::table.on(users::id.eq(training_completions::user_id)))
            .left_join(relay_points::table.on(relay_points::id.nullable().eq(users::relay_point_id)))
            .filter(training_modules::programme_id.eq($programme.to_string()))
            .into_boxed();
        if let Some(m) = f.module {
            q = q.filter(training_completions::module_id.eq(m.to_string()));
        }
        if let Some(staff) = &f.staff {
            q = q.filter(lower(users::email).like(like_pattern(staff)).escape('\\'));
        }
        if let Some(relay) = &f.relay {
            if let Some(id) = RelayPointId::parse(relay) {
                q = q.filter(users::relay_point_id.eq(id.to_string()));
            } else {
                let pattern = like_pattern(relay);
                // Left joined: a person at no relay point matches no relay point.
                let name = lower(relay_points::name.nullable().assume_not_null());
                let external = lower(relay_points::external_id.nullable().assume_not_null());
                q = q.filter(name.like(pattern.clone()).escape('\\').or(external.like(pattern).escape('\\')));
            }
        }
        q
    }};
}

type LineRow = (CompletionRow, String, Option<String>, Option<String>, String);

fn line(r: LineRow) -> QueryResult<CompletionLine> {
    let (row, email, relay_id, relay_name, module_title) = r;
    let relay = match (relay_id, relay_name) {
        (Some(id), Some(name)) => Some((RelayPointId::parse(&id).ok_or_else(|| corrupt("relay_points", "id"))?, name)),
        _ => None,
    };
    Ok(CompletionLine { completion: RecordedCompletion::try_from(row)?, email, relay, module_title })
}

/// How many completions of the programme match `filter`.
pub fn count_completions(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    filter: &CompletionFilter,
) -> QueryResult<i64> {
    filtered_completions!(programme, filter).select(diesel::dsl::count_star()).first(conn)
}

/// One page of the completions of the programme matching `filter`, the most
/// recent day first.
pub fn completion_lines(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    filter: &CompletionFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<CompletionLine>> {
    let rows: Vec<LineRow> = filtered_completions!(programme, filter)
        .select((
            CompletionRow::as_select(),
            users::email,
            relay_points::id.nullable(),
            relay_points::name.nullable(),
            training_modules::title,
        ))
        .order((training_completions::completed_on.desc(), users::email.asc(), training_completions::id.asc()))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    rows.into_iter().map(line).collect()
}

/// One completion of the programme with its person, relay point and module.
pub fn completion_line(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    id: CompletionId,
) -> QueryResult<Option<CompletionLine>> {
    let row: Option<LineRow> = filtered_completions!(programme, &CompletionFilter::default())
        .filter(training_completions::id.eq(id.to_string()))
        .select((
            CompletionRow::as_select(),
            users::email,
            relay_points::id.nullable(),
            relay_points::name.nullable(),
            training_modules::title,
        ))
        .first(conn)
        .optional()?;
    row.map(line).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module() -> TrainingModule {
        TrainingModule {
            id: TrainingModuleId::new(),
            programme_id: ProgrammeId::new(),
            title: Text::parse("title", "Receiving a signal", 200).unwrap(),
            kind: ModuleKind::InPerson,
            validity: ValidityMonths::parse(24).unwrap(),
            required: true,
            created_at: crate::db::now(),
            retired_on: None,
        }
    }

    #[test]
    fn a_module_round_trips_through_its_row_and_a_corrupt_row_names_the_column() {
        let m = module();
        assert_eq!(TrainingModule::try_from(ModuleRow::from(&m)).unwrap(), m);
        let bad = ModuleRow { kind: "lecture".into(), ..ModuleRow::from(&m) };
        let err = TrainingModule::try_from(bad).unwrap_err().to_string();
        assert!(err.contains("corrupt training_modules.kind"), "{err}");
        let bad = ModuleRow { validity_months: 0, ..ModuleRow::from(&m) };
        let err = TrainingModule::try_from(bad).unwrap_err().to_string();
        assert!(err.contains("corrupt training_modules.validity_months"), "{err}");
    }

    #[test]
    fn a_completion_round_trips_through_its_row_and_a_corrupt_row_names_the_column() {
        let on = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let c = RecordedCompletion {
            id: CompletionId::new(),
            user_id: UserId::new(),
            module_id: TrainingModuleId::new(),
            completed_on: on,
            expires_on: ValidityMonths::parse(1).unwrap().expiry(on),
            recorded_by: Some(UserId::new()),
            certificate_ref: Some(Text::parse("certificate_ref", "CERT-1", 100).unwrap()),
            created_at: crate::db::now(),
        };
        assert_eq!(RecordedCompletion::try_from(CompletionRow::from(&c)).unwrap(), c);
        let anonymous = RecordedCompletion { recorded_by: None, certificate_ref: None, ..c.clone() };
        assert_eq!(RecordedCompletion::try_from(CompletionRow::from(&anonymous)).unwrap(), anonymous);
        let bad = CompletionRow { recorded_by: Some("someone".into()), ..CompletionRow::from(&c) };
        let err = RecordedCompletion::try_from(bad).unwrap_err().to_string();
        assert!(err.contains("corrupt training_completions.recorded_by"), "{err}");
    }
}
