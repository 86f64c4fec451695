//! Dead-lettered deliveries, for helpline supervisors (their helpline's) and
//! admins (all): the list, and "deliver again".

use actix_web::{HttpResponse, get, post, web};

use super::service::{self, DeadLetter, TestDelivery};
use crate::domain::Role;
use crate::http::error::AppError;
use crate::http::pagination::{Page, PageQuery};
use crate::http::responses::{AuthErrors, BadQuery, Conflict, NotFound, Unprocessable};
use crate::state::AppState;
use crate::users::caller::AuthUser;

const ROLES: &[Role] = &[Role::Admin, Role::HelplineSupervisor];

/// Deliveries given up after their deadline or a permanent refusal, the most
/// recently dead first. Never shows contact data.
#[utoipa::path(tag = "supervision", params(PageQuery), responses(
    (status = 200, body = Page<DeadLetter>),
    AuthErrors, BadQuery, Unprocessable,
), security(("bearer" = [])))]
#[get("/dead-letters")]
pub async fn list_dead_letters(
    state: web::Data<AppState>,
    auth: AuthUser,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<DeadLetter>>, AppError> {
    auth.require(ROLES)?;
    Ok(web::Json(service::dead_letters(&state, &auth, page.after()?, page.limit()?).await?))
}

/// Deliver a dead-lettered delivery again: it goes back to the queue, due now,
/// with a fresh delivery deadline (audited).
#[utoipa::path(tag = "supervision", params(("id" = String, Path)), responses(
    (status = 202, description = "Queued again"),
    AuthErrors, NotFound, Conflict,
), security(("bearer" = [])))]
#[post("/dead-letters/{id}/retry")]
pub async fn retry_dead_letter(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth.require(ROLES)?;
    service::retry_dead_letter(&state, &auth, &id).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Send a test delivery to a helpline's webhook (admin): signed with its secret like
/// a real delivery (`X-SafeRelay-Signature`), with `X-SafeRelay-Event: test` and a
/// body `{"delivery_id", "event": "test", "test": true, "helpline_code", "sent_at"}`
/// that carries no signal and no contact. Answers what the receiver answered
/// (a refusal of the receiver is still `200`, with `delivered: false`). Nothing
/// is queued or retried; the test is audited (`helpline.test_delivery`).
#[utoipa::path(tag = "routing", params(("id" = String, Path)), responses(
    (status = 200, body = TestDelivery),
    AuthErrors, NotFound, Unprocessable,
), security(("bearer" = [])))]
#[post("/helplines/{id}/test-delivery")]
pub async fn test_delivery(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<String>,
) -> Result<web::Json<TestDelivery>, AppError> {
    auth.require(&[Role::Admin])?;
    let id = crate::domain::HelplineId::parse(&id).ok_or(AppError::NotFound)?;
    Ok(web::Json(service::test_delivery(&state, &auth, id).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_dead_letters).service(retry_dead_letter).service(test_delivery);
}
