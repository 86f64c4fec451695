//! CSV endpoints of relay points: import (with dry run) and export.

use crate::domain::today;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};

use super::import;
use crate::http::csv::CsvBody;
use crate::http::csv_import::ImportReport;
use crate::http::error::{AppError, Problem};
use crate::http::query::{AsOfQuery, ImportQuery};
use crate::http::responses::{AuthErrors, BadQuery, BodyErrors};
use crate::state::AppState;
use crate::users::caller::{AuthUser, managed_programme};

/// Import relay points from CSV into the manager's programme. Header:
/// `external_id,kind,name,address,postcode,municipality,region,languages,active`.
/// Rows are matched on `external_id`: new ones are created, changed ones updated.
#[utoipa::path(
    tag = "relays",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportReport, description = "Applied, or (dry run) what would be done and every row error"),
        BodyErrors, AuthErrors,
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Rows with errors (`rows[N].column`); nothing written"),
    ),
    security(("bearer" = []))
)]
#[post("/relay-points/import")]
pub async fn import_relay_points(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ImportQuery>,
    body: CsvBody,
) -> Result<web::Json<ImportReport>, AppError> {
    let programme = managed_programme(&auth)?;
    let started = std::time::Instant::now();
    let report =
        import::import_relays(&state.db, programme, body.into_inner()?, query.dry_run.unwrap_or(false)).await?;
    tracing::info!(
        rows = report.rows,
        created = report.created,
        ms = started.elapsed().as_millis() as u64,
        "relay import"
    );
    Ok(web::Json(report))
}

/// Export the manager's relay points with their training status as CSV.
#[utoipa::path(
    tag = "relays",
    params(AsOfQuery),
    responses(
        (status = 200, body = String, content_type = "text/csv"),
        AuthErrors, BadQuery,
    ),
    security(("bearer" = []))
)]
#[get("/relay-points/export")]
pub async fn export_relay_points(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<AsOfQuery>,
) -> Result<HttpResponse, AppError> {
    let programme = managed_programme(&auth)?;
    let csv = import::export_relays(&state, programme, query.as_of.unwrap_or_else(today)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"relay-points.csv\""))
        .body(csv))
}
