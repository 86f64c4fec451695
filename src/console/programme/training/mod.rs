//! The programme manager's training pages, under `/console/training/`: the
//! programme's modules (create, edit, retire from a day), its completions (a
//! filtered, paged list; record, correct, delete; the export), completions
//! imported from a CSV file with a preview, and the reminders the reminder job
//! sent. Managers only, in their own programme (as the training API): another
//! programme's module or completion is not found. The pages call the training
//! service, with the same rules as the API.

mod completions;
mod import;
mod modules;
mod reminders;
pub mod texts;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::table::{PageLink, page_numbers};
use super::{Acting, acting};
use crate::console::i18n::Tr;
use crate::console::pages::{Layout, error_page, message, see_other};
use crate::domain::{FieldError, ProgrammeId};
use crate::http::error::AppError;
use crate::state::AppState;

/// Rows per page of the completions and reminders lists.
const PER_PAGE: i64 = 50;

/// The training routes, under `/console`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/training", web::get().to(|| async { see_other("/console/training/modules") }))
        .route("/training/modules", web::get().to(modules::list))
        .route("/training/modules", web::post().to(modules::create))
        .route("/training/modules/{id}", web::get().to(modules::page))
        .route("/training/modules/{id}", web::post().to(modules::save))
        .route("/training/modules/{id}/retire", web::post().to(modules::retire))
        .route("/training/completions", web::get().to(completions::list))
        .route("/training/completions", web::post().to(completions::record))
        .route("/training/completions/export", web::get().to(completions::export))
        .route("/training/completions/import", web::get().to(import::form))
        .route("/training/completions/import", web::post().to(import::upload))
        .route("/training/completions/{id}", web::get().to(completions::page))
        .route("/training/completions/{id}", web::post().to(completions::correct))
        .route("/training/completions/{id}/delete", web::get().to(completions::confirm_delete))
        .route("/training/completions/{id}/delete", web::post().to(completions::delete))
        .route("/training/reminders", web::get().to(reminders::list));
}

/// The manager acting and their programme; anyone else gets the page saying why
/// not (an admin has no programme of their own: the training API is managers').
async fn manager(req: &HttpRequest, state: &AppState) -> Result<(Acting, ProgrammeId), HttpResponse> {
    let a = acting(req, state).await.map_err(|r| *r)?;
    match a.programme {
        Some(p) => Ok((a, p)),
        None => Err(message(StatusCode::FORBIDDEN, a.tr(), Some(&a.s.csrf), "error.title", "trn.managers_only")),
    }
}

/// The frame of a training page.
fn layout(a: &Acting, title_key: &str) -> Layout {
    Layout::new(a.tr(), title_key, Some(&a.s.csrf)).for_role(a.s.auth.role)
}

/// A service's error as a page: not found (another programme's, or none) says so.
fn failed(a: &Acting, e: AppError) -> HttpResponse {
    match e {
        AppError::NotFound => message(StatusCode::NOT_FOUND, a.tr(), Some(&a.s.csrf), "error.title", "trn.not_found"),
        e => error_page(a.tr(), Some(&a.s.csrf), e),
    }
}

/// Messages beside the fields of a form: `(field, translated message)`.
#[derive(Default)]
pub struct Errors(Vec<(String, String)>);

impl Errors {
    /// A message of `key` beside `field` (the first one stays).
    fn add(&mut self, tr: Tr, field: &str, key: &str) {
        if self.of(field).is_none() {
            self.0.push((field.to_string(), tr.t(key).to_string()));
        }
    }

    /// The service's field errors, each beside the form's field it concerns, in
    /// the page's language (the service's own messages are English).
    fn from_service(tr: Tr, errors: &[FieldError]) -> Self {
        let mut out = Self::default();
        for e in errors {
            let field = match e.field.as_str() {
                "user_id" | "email" => "staff",
                "module_id" => "module",
                f => f,
            };
            let key = format!("trn.err.{field}");
            let key = if tr.t(&key) == key { "trn.err.other".to_string() } else { key };
            out.add(tr, field, &key);
        }
        out
    }

    /// The message beside `field` (templates call it).
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A day as the forms send it (`YYYY-MM-DD`, what a date input gives).
fn day(raw: Option<&str>) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw.unwrap_or("").trim(), "%Y-%m-%d").ok()
}

/// A day as the pages show it.
fn shown(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The links of a paged list: to each page worth showing, the previous, the next.
struct Paging {
    links: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
}

fn paging(page: usize, pages: usize, link: impl Fn(usize) -> String) -> Paging {
    Paging {
        links: page_numbers(page, pages)
            .into_iter()
            .map(|n| PageLink { number: n, href: link(n), current: n == page })
            .collect(),
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
    }
}
