//! Use cases of training: modules of a programme, completions recorded by managers
//! (one by one here, in bulk in `import.rs`), and a staff member's own standing.

use crate::domain::TrainingStatus;
use crate::domain::{CompletionId, ProgrammeId, RelayPointId, Text, TrainingModuleId, UserId};
use chrono::NaiveDate;

use super::model::{Completion, ModuleKind, ModuleStanding, ValidityMonths, module_standing};
use super::status::programme_statuses;
use super::store::{self, CompletionRow, ModuleRow};
use crate::db::{self, AnyConnection};
use crate::http::error::AppError;
use crate::http::pagination::{Cursor, Page, fetch_limit};
use crate::state::AppState;
use crate::users::service as users;

/// A validated new module.
pub struct NewModule {
    pub title: Text,
    pub kind: ModuleKind,
    pub validity: ValidityMonths,
    pub required: bool,
}

pub async fn create_module(state: &AppState, programme: ProgrammeId, m: NewModule) -> Result<ModuleRow, AppError> {
    let row = ModuleRow {
        id: TrainingModuleId::new().to_string(),
        programme_id: programme.to_string(),
        title: m.title.as_str().into(),
        kind: m.kind.as_str().into(),
        validity_months: i32::try_from(m.validity.get()).unwrap_or(120),
        required: m.required,
        created_at: db::now(),
    };
    state
        .db
        .write(move |c| {
            store::insert_module(c, &row)?;
            Ok(row)
        })
        .await
}

pub async fn list_modules(
    state: &AppState,
    programme: ProgrammeId,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<ModuleRow>, AppError> {
    let rows = state
        .db
        .run(move |c| {
            store::list_modules(c, programme, after.as_ref().map(Cursor::key), Some(fetch_limit(limit)))
                .map_err(AppError::from)
        })
        .await?;
    Ok(Page::from_rows(rows, limit, |m| Cursor::new(m.title.as_str())))
}

/// A validated completion to record.
pub struct NewCompletion {
    pub user: UserId,
    pub module: TrainingModuleId,
    pub completed_on: NaiveDate,
    pub certificate_ref: Option<Text>,
}

/// Records one completion inside a transaction; `None` when the same completion
/// (person, module, day) is already recorded. Checks scope: 422 for a person or
/// module outside the programme.
pub fn record(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    actor: UserId,
    c: &NewCompletion,
    field_prefix: &str,
) -> Result<Option<CompletionRow>, AppError> {
    if c.completed_on > crate::domain::today() {
        return Err(AppError::invalid(format!("{field_prefix}completed_on"), "must not be in the future"));
    }
    users::staff_member(conn, programme, c.user)?
        .ok_or_else(|| AppError::invalid(format!("{field_prefix}user_id"), "no such staff member"))?;
    let module = store::find_module(conn, programme, c.module)?
        .ok_or_else(|| AppError::invalid(format!("{field_prefix}module_id"), "no such training module"))?;
    if store::completion_exists(conn, c.user, c.module, c.completed_on)? {
        return Ok(None);
    }
    let validity =
        ValidityMonths::parse(i64::from(module.validity_months)).map_err(|_| AppError::internal("corrupt validity"))?;
    let row = CompletionRow {
        id: CompletionId::new().to_string(),
        user_id: c.user.to_string(),
        module_id: c.module.to_string(),
        completed_on: c.completed_on,
        expires_on: validity.expiry(c.completed_on),
        recorded_by: Some(actor.to_string()),
        certificate_ref: c.certificate_ref.as_ref().map(|t| t.as_str().to_string()),
        created_at: db::now(),
    };
    store::insert_completion(conn, &row)?;
    Ok(Some(row))
}

/// Records one completion (201), or 409 when it is already recorded.
pub async fn record_one(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    c: NewCompletion,
) -> Result<CompletionRow, AppError> {
    state
        .db
        .write(move |conn| {
            record(conn, programme, actor, &c, "")?
                .ok_or_else(|| AppError::Conflict("This completion is already recorded.".into()))
        })
        .await
}

pub async fn list_completions(
    state: &AppState,
    programme: ProgrammeId,
    user: Option<UserId>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<CompletionRow>, AppError> {
    let rows = state
        .db
        .run(move |c| {
            store::list_completions(c, programme, user, after.as_ref().map(Cursor::key), fetch_limit(limit))
                .map_err(AppError::from)
        })
        .await?;
    Ok(Page::from_rows(rows, limit, |r| Cursor::new(r.id.as_str())))
}

/// A staff member's own training: each module of the programme with their
/// standing, their completions, and their relay point's status.
pub struct MyTraining {
    pub relay_point_id: RelayPointId,
    pub relay_status: TrainingStatus,
    pub modules: Vec<(ModuleRow, ModuleStanding)>,
    pub completions: Vec<CompletionRow>,
}

pub async fn my_training(
    state: &AppState,
    programme: ProgrammeId,
    relay: RelayPointId,
    user: UserId,
    as_of: NaiveDate,
) -> Result<MyTraining, AppError> {
    state
        .db
        .run(move |c| {
            let modules = store::list_modules(c, programme, None, None)?;
            let completions = store::completions_of(c, user)?;
            let spans: Vec<Completion> = completions
                .iter()
                .filter_map(|r| {
                    Some(Completion {
                        module: TrainingModuleId::parse(&r.module_id)?,
                        completed_on: r.completed_on,
                        expires_on: r.expires_on,
                    })
                })
                .collect();
            let modules = modules
                .into_iter()
                .map(|m| {
                    let standing = TrainingModuleId::parse(&m.id)
                        .map_or(ModuleStanding::Missing, |id| module_standing(&spans, id, as_of));
                    (m, standing)
                })
                .collect();
            let relay_status = programme_statuses(c, programme, as_of)?.of(relay);
            Ok(MyTraining { relay_point_id: relay, relay_status, modules, completions })
        })
        .await
}
