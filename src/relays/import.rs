//! CSV import and export of relay points. A dry run validates every row and reports
//! what a real run would do; a real run is all-or-nothing in one transaction and
//! keyed by (programme, external id), so importing the same file twice changes
//! nothing the second time.

use crate::domain::{ProgrammeId, RelayPointId};
use std::collections::HashMap;

use super::csv_format::{self, EXPORT_HEADER, EXPORT_ONLY, OPTIONAL, REQUIRED};
use super::model::{RelayPoint, RelayPointFields};
use super::store::{self, RelayQuery};
use crate::db::{self, AnyConnection, Db};
use crate::domain::TrainingStatus;
use crate::http::csv_import::{Header, ImportReport, RowError, rows_invalid};
use crate::http::error::{AppError, FieldError};
use crate::state::AppState;
use crate::training::status::programme_statuses;

/// Most data rows one file may hold.
pub const MAX_ROWS: usize = 100_000;

/// Reads a whole file into validated rows, or every problem in it.
pub fn parse_relays(text: &str) -> Result<Vec<(u64, RelayPointFields)>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| vec![RowError::new(1, FieldError::new("row", e.to_string()))])?.clone();
    let header = Header::parse(&header, &REQUIRED, &OPTIONAL, &EXPORT_ONLY)?;
    let width = reader.headers().map(|h| h.len()).unwrap_or(0);
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line());
                errors.push(RowError::new(row, FieldError::new("row", "is not valid CSV")));
                continue;
            }
        };
        let row = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // blank line at the end of a spreadsheet export
        }
        if record.len() != width {
            errors.push(RowError::new(
                row,
                FieldError::new("row", format!("has {} cells, the header has {width}", record.len())),
            ));
            continue;
        }
        match csv_format::parse_relay_row(&header, &record) {
            Ok(fields) => {
                let key = fields.external_id.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default();
                if let Some(first) = seen.insert(key, row) {
                    errors.push(RowError::new(row, FieldError::new("external_id", format!("repeats row {first}"))));
                } else {
                    rows.push((row, fields));
                }
            }
            Err(field_errors) => errors.extend(field_errors.into_iter().map(|e| RowError::new(row, e))),
        }
        if rows.len() + errors.len() > MAX_ROWS {
            return Err(vec![RowError::new(
                row,
                FieldError::new("row", format!("a file may hold at most {MAX_ROWS} rows")),
            )]);
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// Compares the file with the database and, unless `dry_run`, applies it.
fn apply(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    rows: Vec<(u64, RelayPointFields)>,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let now = db::now();
    let existing: HashMap<String, RelayPoint> = store::list_relays(conn, programme, &RelayQuery::default())?
        .into_iter()
        .filter_map(|r| Some((r.fields.external_id.as_ref()?.as_str().to_string(), r)))
        .collect();
    let mut report = ImportReport { dry_run, rows: rows.len(), ..Default::default() };
    let mut inserts = Vec::new();
    let mut updates = Vec::new();
    for (_, fields) in rows {
        let key = fields.external_id.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default();
        match existing.get(&key) {
            None => inserts.push(RelayPoint {
                id: RelayPointId::new(),
                programme_id: programme,
                fields,
                created_at: now,
                updated_at: now,
            }),
            // Matched on the external id, so the two are equal when every other
            // field is.
            Some(old) if old.fields == fields => report.unchanged += 1,
            Some(old) => updates.push((old.id, fields)),
        }
    }
    report.created = inserts.len();
    report.updated = updates.len();
    if !dry_run {
        store::insert_relays_bulk(conn, &inserts)?;
        for (id, fields) in &updates {
            store::update_relay(conn, *id, fields, now)?;
        }
    }
    Ok(report)
}

/// Imports a relay-point file into `programme`. Errors: a dry run reports them in
/// a 200; a real run answers 422 listing each as `rows[N].field`, writing nothing.
pub async fn import_relays(
    db: &Db,
    programme: ProgrammeId,
    text: String,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let rows = match parse_relays(&text) {
        Ok(rows) => rows,
        Err(errors) if dry_run => return Ok(ImportReport { dry_run, errors, ..Default::default() }),
        Err(errors) => return Err(rows_invalid(errors)),
    };
    if dry_run {
        db.run(move |c| apply(c, programme, rows, true)).await
    } else {
        db.write(move |c| apply(c, programme, rows, false)).await
    }
}

/// Every relay point of `programme` with its training status on `as_of`, as CSV.
pub async fn export_relays(
    state: &AppState,
    programme: ProgrammeId,
    as_of: chrono::NaiveDate,
) -> Result<String, AppError> {
    let rows = state
        .db
        .run(move |c| {
            let statuses = programme_statuses(c, programme, as_of)?;
            let relays = store::list_relays(c, programme, &RelayQuery::default())?;
            Ok::<_, AppError>(relays.into_iter().map(|r| (statuses.of(r.id), r)).collect::<Vec<_>>())
        })
        .await?;
    relays_csv(rows)
}

/// Relay points with their training status as CSV, in the export format.
pub fn relays_csv(rows: Vec<(TrainingStatus, RelayPoint)>) -> Result<String, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| AppError::internal(format!("writing CSV: {e}"));
    w.write_record(EXPORT_HEADER).map_err(csv_err)?;
    for (status, r) in rows {
        let f = &r.fields;
        w.write_record([
            r.id.to_string().as_str(),
            f.external_id.as_ref().map_or("", |e| e.as_str()),
            f.kind.as_str(),
            f.name.as_str(),
            f.address.as_str(),
            &f.postcode.to_string(),
            f.municipality.as_str(),
            f.region.as_str(),
            &f.languages.as_slice().join(";"),
            if f.active { "true" } else { "false" },
            status.as_str(),
        ])
        .map_err(csv_err)?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::internal(format!("writing CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal(format!("CSV not UTF-8: {e}")))
}
