//! `/console/relay-points/import`: upload a relay-point CSV (a file, or text
//! pasted), see the dry run's report (rows to create, update, leave, every error
//! by row and column), then commit the same file.
//!
//! Nothing is kept on the server between the preview and the commit: the preview
//! page carries the file back in a hidden field of its commit form, with the
//! SHA-256 of what was previewed. The commit refuses a file whose digest is not
//! that one (the preview no longer describes it) and runs the import through the
//! same all-or-nothing service as the API, which validates every row again.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{Acting, acting, multipart};
use crate::console::pages::{Layout, check_form, error_page, message, render};
use crate::crypto::tokens::hash_refresh_token;
use crate::http::csv_import::{ImportReport, RowError};
use crate::http::error::AppError;
use crate::relays::import as relay_import;
use crate::state::AppState;

/// What the page shows.
enum Stage {
    /// The upload form (with a message when nothing usable was sent).
    Upload(Option<&'static str>),
    /// The dry run's report; the commit form when there is something to apply.
    Preview { report: ImportReport, csv: String, digest: String },
    /// The file was applied.
    Done(ImportReport),
}

/// What differs between the pages that import a CSV with a preview (relay points,
/// completions): where the form posts, the link back, and the words that change
/// (`templates/console/import_steps.html`).
pub(crate) struct ImportPlaces {
    pub action: &'static str,
    pub back: &'static str,
    pub back_key: &'static str,
    pub intro_key: &'static str,
    pub unchanged_key: &'static str,
    /// Whether an import can update existing rows (relay points) or not (completions).
    pub updates: bool,
}

#[derive(Template)]
#[template(path = "console/programme_import.html")]
struct ImportPage {
    l: Layout,
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
    let l = Layout::new(tr, "imp.title", Some(&a.s.csrf)).for_role(a.s.auth.role);
    let empty = ImportPage {
        l,
        error: None,
        preview: false,
        done: false,
        can_commit: false,
        rows: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        errors: Vec::new(),
        csv: String::new(),
        digest: String::new(),
        places: ImportPlaces {
            action: "/console/relay-points/import",
            back: "/console/relay-points",
            back_key: "rp.back",
            intro_key: "imp.intro",
            unchanged_key: "imp.unchanged",
            updates: true,
        },
    };
    let with = |p: ImportPage, r: &ImportReport| ImportPage {
        rows: r.rows,
        created: r.created,
        updated: r.updated,
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
            let can_commit = report.errors.is_empty() && report.created + report.updated > 0;
            let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            let p = with(ImportPage { preview: true, can_commit, csv, digest, ..empty }, &report);
            render(status, &p)
        }
        Stage::Done(report) => render(StatusCode::OK, &with(ImportPage { done: true, ..empty }, &report)),
    }
}

/// Only managers import: an admin has no programme to import into.
async fn manager(req: &HttpRequest, state: &AppState) -> Result<(Acting, crate::domain::ProgrammeId), HttpResponse> {
    let a = acting(req, state).await.map_err(|r| *r)?;
    match a.programme {
        Some(p) => Ok((a, p)),
        None => Err(message(StatusCode::FORBIDDEN, a.tr(), Some(&a.s.csrf), "error.title", "imp.managers_only")),
    }
}

pub async fn import_form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match manager(&req, &state).await {
        Ok((a, _)) => page(&a, Stage::Upload(None)),
        Err(res) => res,
    }
}

/// The digest a commit must present: of the text with line ends as the browser
/// sends a form's text (`\r\n`) made plain `\n`, so a file and its re-post agree.
pub(super) fn digest(text: &str) -> String {
    hash_refresh_token(text)
}

pub(super) fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

pub async fn import_post(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
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
    if parts.text("step").as_deref() == Some("commit") {
        if parts.text("digest").as_deref() != Some(digest(&text).as_str()) {
            return page(&a, Stage::Upload(Some("imp.changed")));
        }
        return match relay_import::import_relays(&state.db, programme, text, false).await {
            Ok(report) => page(&a, Stage::Done(report)),
            // The file turned invalid since the preview (a row now clashes): preview again.
            Err(AppError::Validation(_)) => page(&a, Stage::Upload(Some("imp.changed"))),
            Err(e) => error_page(a.tr(), Some(&a.s.csrf), e),
        };
    }
    match relay_import::import_relays(&state.db, programme, text.clone(), true).await {
        Ok(report) => {
            let digest = digest(&text);
            page(&a, Stage::Preview { report, csv: text, digest })
        }
        Err(e) => error_page(a.tr(), Some(&a.s.csrf), e),
    }
}
