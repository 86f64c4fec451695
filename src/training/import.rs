//! CSV import of completions: `email,module,completed_on,certificate_ref`, where
//! `module` is the module's title or id and `completed_on` is `YYYY-MM-DD`. Same
//! rules as relay points: dry run reports, real run is all-or-nothing, and a row
//! already recorded (person, module, day) counts as unchanged.

use crate::domain::{CompletionId, ProgrammeId, Text, TrainingModuleId, UserId};
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::model::{RecordedCompletion, ValidityMonths};
use super::store;
use crate::db::{self, AnyConnection};
use crate::http::csv_import::{Header, ImportReport, RowError, rows_invalid};
use crate::http::error::{AppError, FieldError};
use crate::state::AppState;
use crate::users::service as users;

const REQUIRED: [&str; 3] = ["email", "module", "completed_on"];
const OPTIONAL: [&str; 1] = ["certificate_ref"];

fn apply(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    actor: UserId,
    text: &str,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let staff: HashMap<String, UserId> = users::staff_ids_by_email(conn, programme)?.into_iter().collect();
    let mut modules: HashMap<String, (TrainingModuleId, ValidityMonths)> = HashMap::new();
    for m in store::list_modules(conn, programme, None, None)? {
        modules.insert(m.title.as_str().to_lowercase(), (m.id, m.validity));
        modules.insert(m.id.to_string(), (m.id, m.validity));
    }
    let today = crate::domain::today();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| rows_invalid(vec![RowError::new(1, FieldError::new("row", e.to_string()))]))?
        .clone();
    let header = Header::parse(&header, &REQUIRED, &OPTIONAL, &[]).map_err(rows_invalid)?;
    let mut report = ImportReport { dry_run, ..Default::default() };
    let mut seen = HashSet::new();
    let mut inserts = Vec::new();
    let now = db::now();
    for record in reader.records() {
        let Ok(record) = record else {
            report.errors.push(RowError::new(0, FieldError::new("row", "is not valid CSV")));
            continue;
        };
        let row = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        let mut err =
            |field: &str, message: &str| report.errors.push(RowError::new(row, FieldError::new(field, message)));
        let user = staff.get(&header.get(&record, "email").to_lowercase());
        if user.is_none() {
            err("email", "no staff member of this programme has this e-mail");
        }
        let module = modules
            .get(&header.get(&record, "module").to_lowercase())
            .or_else(|| modules.get(header.get(&record, "module")));
        if module.is_none() {
            err("module", "no training module of this programme has this title or id");
        }
        let date = NaiveDate::parse_from_str(header.get(&record, "completed_on"), "%Y-%m-%d").ok();
        match date {
            None => err("completed_on", "must be a date as YYYY-MM-DD"),
            Some(d) if d > today => err("completed_on", "must not be in the future"),
            Some(_) => {}
        }
        let cert = header.get(&record, "certificate_ref");
        let cert = if cert.is_empty() { Ok(None) } else { Text::parse("certificate_ref", cert, 100).map(Some) };
        let cert = cert.map_err(|e| report.errors.push(RowError::new(row, e))).ok();
        let (Some(&user), Some(&(module, validity)), Some(date), Some(cert)) = (user, module, date, cert) else {
            continue;
        };
        if !seen.insert((user, module, date)) {
            report.errors.push(RowError::new(row, FieldError::new("row", "repeats an earlier row")));
            continue;
        }
        if store::completion_exists(conn, user, module, date)? {
            report.unchanged += 1;
            continue;
        }
        inserts.push(RecordedCompletion {
            id: CompletionId::new(),
            user_id: user,
            module_id: module,
            completed_on: date,
            expires_on: validity.expiry(date),
            recorded_by: Some(actor),
            certificate_ref: cert,
            created_at: now,
        });
    }
    report.created = inserts.len();
    if !report.errors.is_empty() && !dry_run {
        // Returning an error rolls the transaction back: nothing of the file is kept.
        return Err(rows_invalid(std::mem::take(&mut report.errors)));
    }
    if !dry_run {
        store::insert_completions(conn, &inserts)?;
    }
    Ok(report)
}

/// Imports completions into `programme`.
pub async fn import_completions(
    state: &AppState,
    programme: ProgrammeId,
    actor: UserId,
    text: String,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    if dry_run {
        state.db.run(move |c| apply(c, programme, actor, &text, true)).await
    } else {
        state.db.write(move |c| apply(c, programme, actor, &text, false)).await
    }
}
