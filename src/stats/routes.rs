//! Statistics endpoints for programme managers (their programme) and admins (all,
//! or one with `?programme_id=`): JSON, or CSV with `Accept: text/csv` or
//! `?format=csv`.

use crate::domain::ProgrammeId;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::model::{Cell, Dimension, Month};
use super::report::Times;
use super::service::{self, Coverage, CoverageHistory, CoverageHistoryRequest, Every, SignalStats, SignalsRequest};
use crate::domain::Region;
use crate::http::error::{AppError, Problem};
use crate::http::responses::{AuthErrors, BadQuery, NotFound, Unprocessable};
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// Response format (`?format=`); `Accept: text/csv` also selects CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Csv,
}

/// Query of `GET /api/v1/stats/signals`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SignalStatsQuery {
    /// Admins: one programme (default: every programme, each on its own). Managers:
    /// their own programme only (another one is 404).
    pub programme_id: Option<ProgrammeId>,
    /// First month, `YYYY-MM` (default: 11 months before `to`).
    pub from: Option<String>,
    /// Last month, `YYYY-MM` (default and latest shown: the last final month).
    pub to: Option<String>,
    /// Breakdown of each month (default `region`).
    pub by: Option<Dimension>,
    pub format: Option<Format>,
}

/// Query of `GET /api/v1/stats/coverage`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// As for signals: admins may pick one programme; managers see their own.
    pub programme_id: Option<ProgrammeId>,
    /// Day the training status is computed for (default today, UTC).
    pub as_of: Option<NaiveDate>,
    pub format: Option<Format>,
}

fn wants_csv(req: &HttpRequest, format: Option<Format>) -> bool {
    format.map_or_else(
        || {
            req.headers()
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.to_ascii_lowercase().contains("text/csv"))
        },
        |f| f == Format::Csv,
    )
}

fn month(field: &str, raw: Option<&str>) -> Result<Option<Month>, AppError> {
    raw.map(|m| m.parse::<Month>().map_err(|_| AppError::invalid(field, "must be a month, YYYY-MM"))).transpose()
}

/// Monthly signal figures with small-cell suppression: every count from 1 to 4 is
/// `"<5"`, and a second cell is hidden wherever one alone could be recomputed.
/// Only final months are shown (every signal of them closed or expired).
#[utoipa::path(
    tag = "stats",
    params(SignalStatsQuery),
    responses(
        (status = 200, description = "Figures per programme and month", content((SignalStats = "application/json"), (String = "text/csv"))),
        AuthErrors, BadQuery, Unprocessable,
        (status = 403, body = Problem, content_type = "application/problem+json", description = "Not a programme manager or admin"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "No such programme in your scope"),
    ),
    security(("bearer" = []))
)]
#[get("/stats/signals")]
pub async fn signal_stats(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: web::Query<SignalStatsQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let request = SignalsRequest {
        programme: q.programme_id,
        from: month("from", q.from.as_deref())?,
        to: month("to", q.to.as_deref())?,
        by: q.by.unwrap_or_default(),
    };
    let stats = service::signals(&state, &auth, request).await?;
    if wants_csv(&req, q.format) {
        return Ok(csv_response("signal-stats.csv", signals_csv(&stats)?));
    }
    Ok(HttpResponse::Ok().json(stats))
}

/// Active relay points by region, kind and training status (relay points are
/// public premises, not people: no suppression).
#[utoipa::path(
    tag = "stats",
    params(CoverageQuery),
    responses(
        (status = 200, description = "Coverage per programme", content((Coverage = "application/json"), (String = "text/csv"))),
        AuthErrors, BadQuery, NotFound,
    ),
    security(("bearer" = []))
)]
#[get("/stats/coverage")]
pub async fn coverage_stats(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: web::Query<CoverageQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let as_of = q.as_of.unwrap_or_else(crate::domain::today);
    let coverage = service::coverage(&state, &auth, q.programme_id, as_of).await?;
    if wants_csv(&req, q.format) {
        return Ok(csv_response("coverage.csv", coverage_csv(&coverage)?));
    }
    Ok(HttpResponse::Ok().json(coverage))
}

/// Query of `GET /api/v1/stats/coverage-history`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CoverageHistoryQuery {
    /// As for signals: admins may pick one programme; managers see their own.
    pub programme_id: Option<ProgrammeId>,
    /// First day, `YYYY-MM-DD` (default: 364 days before `to`).
    pub from: Option<NaiveDate>,
    /// Last day, `YYYY-MM-DD` (default: today, Europe/Brussels).
    pub to: Option<NaiveDate>,
    /// One region only (default: all, each also shown on its own).
    pub region: Option<Region>,
    /// Every recorded day (default), or each month's last recorded day.
    pub every: Option<Every>,
}

/// Coverage over time: active relay points by training status, per region, on
/// each day the retention job recorded them (relay points are public premises,
/// not people: no suppression, as for `/stats/coverage`).
#[utoipa::path(
    tag = "stats",
    params(CoverageHistoryQuery),
    responses(
        (status = 200, description = "Recorded days per programme", body = CoverageHistory),
        AuthErrors, BadQuery, Unprocessable,
        (status = 403, body = Problem, content_type = "application/problem+json", description = "Not a programme manager or admin"),
        (status = 404, body = Problem, content_type = "application/problem+json", description = "No such programme in your scope"),
    ),
    security(("bearer" = []))
)]
#[get("/stats/coverage-history")]
pub async fn coverage_history(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<CoverageHistoryQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let request = CoverageHistoryRequest {
        programme: q.programme_id,
        from: q.from,
        to: q.to,
        region: q.region,
        every: q.every.unwrap_or_default(),
    };
    Ok(HttpResponse::Ok().json(service::coverage_history(&state, &auth, request).await?))
}

fn csv_response(name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body)
}

fn csv_error(e: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("writing CSV: {e}"))
}

/// Long format: one row per programme, month, measure and group. A hidden count
/// is `<5`; a hidden share or time is empty.
fn signals_csv(stats: &SignalStats) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["programme_id", "programme", "month", "measure", "group", "value"]).map_err(csv_error)?;
    let by = format!("signals_by_{}", stats.by.as_str());
    for p in &stats.programmes {
        for m in &p.months {
            let mut row = |measure: &str, group: &str, value: String| {
                w.write_record([&p.programme_id, &safe(&p.programme_code), &m.month, measure, &safe(group), &value])
            };
            row("signals", "", cell(m.signals)).map_err(csv_error)?;
            for b in &m.breakdown {
                row(&by, &b.value, cell(b.signals)).map_err(csv_error)?;
            }
            row("share_not_trained", "", opt(m.share_not_trained)).map_err(csv_error)?;
            row("share_expired", "", opt(m.share_expired)).map_err(csv_error)?;
            let (first, close) = (m.minutes_to_first_attempt, m.minutes_to_close);
            row("median_minutes_to_first_attempt", "", opt(first.map(|t: Times| t.median))).map_err(csv_error)?;
            row("p90_minutes_to_first_attempt", "", opt(first.map(|t| t.p90))).map_err(csv_error)?;
            row("median_minutes_to_close", "", opt(close.map(|t| t.median))).map_err(csv_error)?;
            row("p90_minutes_to_close", "", opt(close.map(|t| t.p90))).map_err(csv_error)?;
        }
    }
    w.into_inner().map_err(csv_error)
}

fn coverage_csv(c: &Coverage) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["programme_id", "programme", "region", "kind", "training_status", "relay_points"])
        .map_err(csv_error)?;
    for p in &c.programmes {
        for r in &p.rows {
            let n = r.relay_points.to_string();
            w.write_record([&p.programme_id, &safe(&p.programme_code), &r.region, &r.kind, &r.training_status, &n])
                .map_err(csv_error)?;
        }
    }
    w.into_inner().map_err(csv_error)
}

/// Text a spreadsheet would run as a formula gets a leading `'` (codes are set by
/// admins; this keeps an export harmless whatever they typed).
fn safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

fn cell(c: Cell) -> String {
    c.to_string()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Registers the statistics routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(signal_stats).service(coverage_stats).service(coverage_history);
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe("@sum"), "'@sum");
        assert_eq!(safe("be-wal-pharma"), "be-wal-pharma");
        assert_eq!(safe("wallonia"), "wallonia");
    }
}
