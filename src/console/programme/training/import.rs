//! `/console/training/completions/import`: upload a completions CSV
//! (`email,module,completed_on,certificate_ref`), see the dry run's report (rows
//! to create, rows already recorded, every error by row and column), then commit
//! the same file — as the relay-point import page does, and with the same
//! safeguard: the preview carries the file back with its digest, and a commit of
//! any other file is refused.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{failed, layout, manager};
use crate::console::pages::{Layout, check_form, render};
use crate::console::programme::import::{ImportPlaces, digest, normalise};
use crate::console::programme::{Acting, multipart};
use crate::http::csv_import::{ImportReport, RowError};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::training::import as completions_import;

enum Stage {
    Upload(Option<&'static str>),
    Preview { report: ImportReport, csv: String, digest: String },
    Done(ImportReport),
}

#[derive(Template)]
#[template(path = "console/programme_training_import.html")]
struct ImportPage {
    l: Layout,
    tab: &'static str,
    error: Option<String>,
    preview: bool,
    done: bool,
    can_commit: bool,
    rows: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    errors: Vec<RowError>,
    csv: String,
    digest: String,
    places: ImportPlaces,
}

fn page(a: &Acting, stage: Stage) -> HttpResponse {
    let tr = a.tr();
    let empty = ImportPage {
        l: layout(a, "trn.import.title"),
        tab: "import",
        error: None,
        preview: false,
        done: false,
        can_commit: false,
        rows: 0,
        created: 0,
        unchanged: 0,
        errors: Vec::new(),
        csv: String::new(),
        digest: String::new(),
        places: ImportPlaces {
            action: "/console/training/completions/import",
            back: "/console/training/completions",
            back_key: "trn.back_completions",
            intro_key: "trn.import.intro",
            unchanged_key: "trn.import.already",
            // Completions are recorded or already there; an import never changes one.
            updates: false,
        },
        updated: 0,
    };
    let with = |p: ImportPage, r: &ImportReport| ImportPage {
        rows: r.rows,
        created: r.created,
        unchanged: r.unchanged,
        errors: r.errors.clone(),
        ..p
    };
    match stage {
        Stage::Upload(error) => {
            let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            render(status, &ImportPage { error: error.map(|k| tr.t(k).to_string()), ..empty })
        }
        Stage::Preview { report, csv, digest } => {
            let can_commit = report.errors.is_empty() && report.created > 0;
            let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            render(status, &with(ImportPage { preview: true, can_commit, csv, digest, ..empty }, &report))
        }
        Stage::Done(report) => render(StatusCode::OK, &with(ImportPage { done: true, ..empty }, &report)),
    }
}

/// A file refused as a whole (its header: a column missing, unknown or repeated)
/// as a report, so the preview lists it by row and column like any other error.
fn refused_whole(errors: Vec<crate::domain::FieldError>) -> ImportReport {
    let errors = errors
        .into_iter()
        .map(|e| {
            let (row, field) = e
                .field
                .strip_prefix("rows[")
                .and_then(|rest| rest.split_once("]."))
                .and_then(|(row, field)| Some((row.parse().ok()?, field.to_string())))
                .unwrap_or((1, e.field.clone()));
            RowError { row, field, message: e.message }
        })
        .collect();
    ImportReport { dry_run: true, errors, ..ImportReport::default() }
}

pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match manager(&req, &state).await {
        Ok((a, _)) => page(&a, Stage::Upload(None)),
        Err(res) => res,
    }
}

pub async fn upload(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let (a, programme) = match manager(&req, &state).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let limit = state.settings.max_csv_bytes.saturating_add(64 * 1024);
    let Some(parts) = multipart::read(&req, &mut payload.into_inner(), limit).await else {
        return page(&a, Stage::Upload(Some("imp.unreadable")));
    };
    if let Err(res) = check_form(&req, &state, &a.s, parts.text("csrf").as_deref()) {
        return *res;
    }
    let file = parts.text("file").filter(|f| !f.trim().is_empty());
    let Some(text) = file.or_else(|| parts.text("csv")).map(|t| normalise(&t)).filter(|t| !t.trim().is_empty()) else {
        return page(&a, Stage::Upload(Some("imp.nothing")));
    };
    if text.len() > state.settings.max_csv_bytes {
        return page(&a, Stage::Upload(Some("trn.import.too_large")));
    }
    let actor = a.s.auth.id;
    if parts.text("step").as_deref() == Some("commit") {
        if parts.text("digest").as_deref() != Some(digest(&text).as_str()) {
            return page(&a, Stage::Upload(Some("imp.changed")));
        }
        return match completions_import::import_completions(&state, programme, actor, text, false).await {
            Ok(report) => page(&a, Stage::Done(report)),
            // The file turned invalid since the preview (a person left): preview again.
            Err(AppError::Validation(_)) => page(&a, Stage::Upload(Some("imp.changed"))),
            Err(e) => failed(&a, e),
        };
    }
    let digest = digest(&text);
    match completions_import::import_completions(&state, programme, actor, text.clone(), true).await {
        Ok(report) => page(&a, Stage::Preview { report, csv: text, digest }),
        Err(AppError::Validation(errors)) => {
            page(&a, Stage::Preview { report: refused_whole(errors), csv: text, digest })
        }
        Err(e) => failed(&a, e),
    }
}
