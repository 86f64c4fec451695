//! Liveness, readiness and metrics endpoints.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::http::error::AppError;
use crate::http::responses::Unavailable;
use crate::state::AppState;

/// Health answer.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `ready`.
    pub status: String,
}

/// The process is alive (it does not touch the database).
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok".into() })
}

/// The database answers and its schema is current.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, body = Health),
        Unavailable,
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, AppError> {
    if !state.db.ping(Duration::from_secs(2)).await {
        return Err(AppError::Unavailable);
    }
    // `SELECT 1` may answer without reading the database (SQLite); reading the
    // migration table is the real test, and a failure there is "not ready" too.
    let pending = state
        .db
        .run(|c| db::pending_migrations(c).map_err(|e| AppError::internal(format!("checking migrations: {e}"))))
        .await;
    match pending {
        Ok(0) => {}
        Ok(_) => return Err(AppError::Unavailable),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: the database cannot be read");
            return Err(AppError::Unavailable);
        }
    }
    Ok(web::Json(Health { status: "ready".into() }))
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(tag = "operations", responses((status = 200, content_type = "text/plain", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    // Off the public listener in production, and wherever a separate metrics
    // address is set: there is no such route here then.
    if !state.settings.metrics_on_public_listener() {
        return actix_web::ResponseError::error_response(&crate::http::error::AppError::NoRoute);
    }
    render(state).await
}

/// The metrics text, for the public route or the separate metrics listener.
pub async fn render(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(state.metrics.render())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(healthz).service(readyz).service(metrics);
}
