//! Use cases of training: modules of a programme, completions recorded by managers
//! (one by one here, in bulk in `import.rs`), and a staff member's own standing.

use crate::domain::{CompletionId, ProgrammeId, RelayPointId, Text, TrainingModuleId, UserId};
use crate::domain::{Email, TrainingStatus};
use chrono::NaiveDate;

use super::model::{
    Completion, CompletionFilter, CompletionLine, ModuleKind, ModuleStanding, RecordedCompletion, SentReminder,
    TrainingModule, ValidityMonths, module_standing,
};
use super::reminder_store;
use super::status::programme_statuses;
use super::store;
use crate::audit::{self, Action};
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

pub async fn create_module(state: &AppState, programme: ProgrammeId, m: NewModule) -> Result<TrainingModule, AppError> {
    let module = TrainingModule {
        id: TrainingModuleId::new(),
        programme_id: programme,
        title: m.title,
        kind: m.kind,
        validity: m.validity,
        required: m.required,
        created_at: db::now(),
        retired_on: None,
    };
    state
        .db
        .write(move |c| {
            store::insert_module(c, &module)?;
            Ok(module)
        })
        .await
}

pub async fn list_modules(
    state: &AppState,
    programme: ProgrammeId,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<TrainingModule>, AppError> {
    let modules = state
        .db
        .run(move |c| {
            store::list_modules(c, programme, after.as_ref().map(Cursor::key), Some(fetch_limit(limit)))
                .map_err(AppError::from)
        })
        .await?;
    Ok(Page::from_rows(modules, limit, |m| Cursor::new(m.title.as_str())))
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
) -> Result<Option<RecordedCompletion>, AppError> {
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
    let completion = RecordedCompletion {
        id: CompletionId::new(),
        user_id: c.user,
        module_id: module.id,
        completed_on: c.completed_on,
        expires_on: module.validity.expiry(c.completed_on),
        recorded_by: Some(actor),
        certificate_ref: c.certificate_ref.clone(),
        created_at: db::now(),
    };
    store::insert_completion(conn, &completion)?;
    Ok(Some(completion))
}

/// Records one completion (201), or 409 when it is already recorded.
pub async fn record_one(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    c: NewCompletion,
) -> Result<RecordedCompletion, AppError> {
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
) -> Result<Page<RecordedCompletion>, AppError> {
    let completions = state
        .db
        .run(move |c| {
            store::list_completions(c, programme, user, after.as_ref().map(Cursor::key), fetch_limit(limit))
                .map_err(AppError::from)
        })
        .await?;
    Ok(Page::from_rows(completions, limit, |c| Cursor::new(c.id.to_string())))
}

/// A staff member's own training: each module of the programme with their
/// standing, their completions, and their relay point's status.
pub struct MyTraining {
    pub relay_point_id: RelayPointId,
    pub relay_status: TrainingStatus,
    pub modules: Vec<(TrainingModule, ModuleStanding)>,
    pub completions: Vec<RecordedCompletion>,
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
            // A module retired by `as_of` no longer concerns the staff member.
            let modules: Vec<TrainingModule> = store::list_modules(c, programme, None, None)?
                .into_iter()
                .filter(|m| m.retired_on.is_none_or(|r| as_of < r))
                .collect();
            let completions = store::completions_of(c, user)?;
            let spans: Vec<Completion> = completions.iter().map(RecordedCompletion::span).collect();
            let modules = modules
                .into_iter()
                .map(|m| {
                    let standing = module_standing(&spans, m.id, as_of);
                    (m, standing)
                })
                .collect();
            let relay_status = programme_statuses(c, programme, as_of)?.of(relay);
            Ok(MyTraining { relay_point_id: relay, relay_status, modules, completions })
        })
        .await
}

/// What a manager may change of a module; absent fields stay as they are.
/// A new validity applies to completions recorded (or corrected) from now on.
#[derive(Default)]
pub struct ModuleChange {
    pub title: Option<Text>,
    pub validity: Option<ValidityMonths>,
    pub required: Option<bool>,
}

/// Edits a module of the programme (audited); 404 for any other.
pub async fn change_module(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    id: TrainingModuleId,
    change: ModuleChange,
) -> Result<TrainingModule, AppError> {
    state
        .db
        .write(move |c| {
            let mut m = store::find_module(c, programme, id)?.ok_or(AppError::NotFound)?;
            if let Some(t) = change.title {
                m.title = t;
            }
            if let Some(v) = change.validity {
                m.validity = v;
            }
            if let Some(r) = change.required {
                m.required = r;
            }
            store::update_module(c, &m)?;
            audit::record(c, Some(actor), Action::TrainingModuleChanged, None, Some(&m.id.to_string()))?;
            Ok(m)
        })
        .await
}

/// Retires a module from `from`: on that day and after it no longer counts as
/// required (completions stay). Not before the module existed (422). Audited.
pub async fn retire_module(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    id: TrainingModuleId,
    from: NaiveDate,
) -> Result<TrainingModule, AppError> {
    state
        .db
        .write(move |c| {
            let mut m = store::find_module(c, programme, id)?.ok_or(AppError::NotFound)?;
            if from < m.created_at.date() {
                return Err(AppError::invalid("from", "must not be before the module was created"));
            }
            store::retire_module(c, m.id, from)?;
            m.retired_on = Some(from);
            audit::record(c, Some(actor), Action::TrainingModuleRetired, None, Some(&m.id.to_string()))?;
            Ok(m)
        })
        .await
}

/// What a manager may correct of a completion; absent fields stay as they are.
pub struct CompletionChange {
    pub completed_on: Option<NaiveDate>,
    /// `Some(None)` clears the reference.
    pub certificate_ref: Option<Option<Text>>,
}

/// Corrects a completion of the programme (its expiry follows the day, under the
/// module's validity); 404 for any other. Audited.
pub async fn correct_completion(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    id: CompletionId,
    change: CompletionChange,
) -> Result<RecordedCompletion, AppError> {
    state
        .db
        .write(move |c| {
            let mut done = store::find_completion(c, programme, id)?.ok_or(AppError::NotFound)?;
            let module = store::find_module(c, programme, done.module_id)?.ok_or(AppError::NotFound)?;
            if let Some(day) = change.completed_on {
                if day > crate::domain::today() {
                    return Err(AppError::invalid("completed_on", "must not be in the future"));
                }
                if day != done.completed_on && store::completion_exists(c, done.user_id, done.module_id, day)? {
                    return Err(AppError::Conflict("This completion is already recorded.".into()));
                }
                done.completed_on = day;
            }
            done.expires_on = module.validity.expiry(done.completed_on);
            if let Some(reference) = change.certificate_ref {
                done.certificate_ref = reference;
            }
            store::update_completion(c, &done)?;
            audit::record(c, Some(actor), Action::CompletionCorrected, None, Some(&done.id.to_string()))?;
            Ok(done)
        })
        .await
}

/// Deletes a completion of the programme (recorded by mistake); 404 for any other.
/// Audited.
pub async fn delete_completion(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    id: CompletionId,
) -> Result<(), AppError> {
    state
        .db
        .write(move |c| {
            store::find_completion(c, programme, id)?.ok_or(AppError::NotFound)?;
            store::delete_completion(c, id)?;
            audit::record(c, Some(actor), Action::CompletionDeleted, None, Some(&id.to_string()))?;
            Ok(())
        })
        .await
}

/// Every completion of the programme, for the CSV export.
pub async fn export_completions(
    state: &AppState,
    programme: ProgrammeId,
) -> Result<Vec<store::ExportedCompletion>, AppError> {
    state.db.run(move |c| Ok(store::export_completions(c, programme)?)).await
}

// ---------------------------------------------------------------------------
// What the console's training pages read: pages of lines, counted.

/// One page of a longer list, with where it stands.
pub struct Listed<T> {
    pub items: Vec<T>,
    /// Rows matching, on every page.
    pub total: usize,
    /// This page (from 1, within `1..=pages`).
    pub page: usize,
    pub pages: usize,
}

/// The page asked for, moved into the pages there are, and its offset.
fn paged(total: i64, page: usize, per_page: i64) -> (usize, usize, i64) {
    let total = usize::try_from(total).unwrap_or(0);
    let per = usize::try_from(per_page.max(1)).unwrap_or(1);
    let pages = total.div_ceil(per).max(1);
    let page = page.clamp(1, pages);
    (total, pages, i64::try_from((page - 1) * per).unwrap_or(0))
}

/// A module of the programme; 404 for any other.
pub async fn find_module(
    state: &AppState,
    programme: ProgrammeId,
    id: TrainingModuleId,
) -> Result<TrainingModule, AppError> {
    state.db.run(move |c| store::find_module(c, programme, id)?.ok_or(AppError::NotFound)).await
}

/// Every module of the programme, by title.
pub async fn all_modules(state: &AppState, programme: ProgrammeId) -> Result<Vec<TrainingModule>, AppError> {
    state.db.run(move |c| Ok(store::list_modules(c, programme, None, None)?)).await
}

/// One page of the programme's completions matching `filter`, most recent first.
pub async fn completion_lines(
    state: &AppState,
    programme: ProgrammeId,
    filter: CompletionFilter,
    page: usize,
    per_page: i64,
) -> Result<Listed<CompletionLine>, AppError> {
    state
        .db
        .run(move |c| {
            let (total, pages, offset) = paged(store::count_completions(c, programme, &filter)?, page, per_page);
            let items = store::completion_lines(c, programme, &filter, offset, per_page)?;
            let page = usize::try_from(offset / per_page.max(1)).unwrap_or(0) + 1;
            Ok(Listed { items, total, page, pages })
        })
        .await
}

/// One completion of the programme with its person and module; 404 for any other.
pub async fn completion_line(
    state: &AppState,
    programme: ProgrammeId,
    id: CompletionId,
) -> Result<CompletionLine, AppError> {
    state.db.run(move |c| store::completion_line(c, programme, id)?.ok_or(AppError::NotFound)).await
}

/// Records one completion for the staff member with this e-mail address (as the
/// console's form names people): 422 on `email` when no staff member of the
/// programme has it, then as [`record_one`].
pub async fn record_by_email(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    email: Email,
    module: TrainingModuleId,
    completed_on: NaiveDate,
    certificate_ref: Option<Text>,
) -> Result<RecordedCompletion, AppError> {
    state
        .db
        .write(move |conn| {
            let no_one = || AppError::invalid("email", "no staff member of this programme has this e-mail");
            let account = users::account_by_email(conn, &email)?.ok_or_else(no_one)?;
            users::staff_member(conn, programme, account.id)?.ok_or_else(no_one)?;
            let c = NewCompletion { user: account.id, module, completed_on, certificate_ref };
            record(conn, programme, actor, &c, "")?
                .ok_or_else(|| AppError::Conflict("This completion is already recorded.".into()))
        })
        .await
}

/// One page of the reminders the job sent about the programme's modules, newest first.
pub async fn reminders_sent(
    state: &AppState,
    programme: ProgrammeId,
    page: usize,
    per_page: i64,
) -> Result<Listed<SentReminder>, AppError> {
    state
        .db
        .run(move |c| {
            let (total, pages, offset) = paged(reminder_store::count_sent(c, programme)?, page, per_page);
            let items = reminder_store::sent(c, programme, offset, per_page)?;
            let page = usize::try_from(offset / per_page.max(1)).unwrap_or(0) + 1;
            Ok(Listed { items, total, page, pages })
        })
        .await
}

/// A cell as a spreadsheet will not run it as a formula.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

/// Every completion of the programme as the export CSV:
/// `email,relay_external_id,relay_name,module,completed_on,expires_on,certificate_ref`.
pub async fn export_completions_csv(state: &AppState, programme: ProgrammeId) -> Result<Vec<u8>, AppError> {
    let rows = export_completions(state, programme).await?;
    let csv_err = |e: csv::Error| AppError::internal(format!("writing CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "email",
        "relay_external_id",
        "relay_name",
        "module",
        "completed_on",
        "expires_on",
        "certificate_ref",
    ])
    .map_err(csv_err)?;
    for r in rows {
        w.write_record([
            inert(&r.email).as_ref(),
            inert(r.relay_external_id.as_deref().unwrap_or("")).as_ref(),
            inert(r.relay_name.as_deref().unwrap_or("")).as_ref(),
            inert(&r.module).as_ref(),
            &r.completed_on.to_string(),
            &r.expires_on.to_string(),
            inert(r.certificate_ref.as_deref().unwrap_or("")).as_ref(),
        ])
        .map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| AppError::internal(format!("writing CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_moved_into_the_pages_there_are() {
        assert_eq!(paged(0, 1, 50), (0, 1, 0));
        assert_eq!(paged(120, 3, 50), (120, 3, 100));
        assert_eq!(paged(120, 9, 50), (120, 3, 100));
        assert_eq!(paged(100, 0, 50), (100, 2, 0));
    }

    #[test]
    fn a_cell_that_a_spreadsheet_would_run_is_quoted() {
        assert_eq!(inert("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(inert("Mask-19"), "Mask-19");
    }
}
