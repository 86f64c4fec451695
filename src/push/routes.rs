//! Web Push endpoints of the relay app.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::service::{self, NewSubscription, SubscriptionView};
use crate::http::error::{AppError, Localised};
use crate::http::json::StrictJson;
use crate::http::responses::{AuthErrors, BodyErrors, NotFound};
use crate::state::AppState;
use crate::users::caller::{AuthUser, in_callers_language};

/// The server's Web Push public key.
#[derive(Serialize, ToSchema)]
pub struct PushPublicKey {
    /// The VAPID public key (RFC 8292): an uncompressed P-256 point, base64url —
    /// the `applicationServerKey` to subscribe with.
    pub public_key: String,
}

/// The key a device subscribes to pushes with (relay staff).
#[utoipa::path(tag = "push", responses(
    (status = 200, body = PushPublicKey),
    AuthErrors,
), security(("bearer" = [])))]
#[get("/push/public-key")]
pub async fn public_key(state: web::Data<AppState>, auth: AuthUser) -> Result<web::Json<PushPublicKey>, AppError> {
    auth.require(&[crate::domain::Role::RelayStaff])?;
    Ok(web::Json(PushPublicKey { public_key: state.push_key.public_b64.clone() }))
}

/// Subscribe this device to pushes about the relay point's signals (relay staff).
/// The body is the browser's `PushSubscription.toJSON()`. A push carries no details
/// at all — only that a signal's status changed — and the app then fetches "My
/// signals". Subscribing the same endpoint again replaces the earlier subscription.
/// A subscription ends when its device unsubscribes, when its account signs out
/// everywhere, is deactivated or moves to another relay point, and when the push
/// service answers 404 or 410.
#[utoipa::path(tag = "push", request_body = NewSubscription, responses(
    (status = 201, body = SubscriptionView),
    AuthErrors, BodyErrors,
), security(("bearer" = [])))]
#[post("/me/push-subscriptions")]
pub async fn subscribe(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<AuthUser, AppError>,
    body: StrictJson<NewSubscription>,
) -> Result<HttpResponse, Localised> {
    in_callers_language(&req, auth, |auth| async move {
        // The role first: a caller who may not subscribe learns nothing of the body's rules.
        auth.require(&[crate::domain::Role::RelayStaff])?;
        let view = service::subscribe(&state, &auth, body.into_inner()?).await?;
        Ok(HttpResponse::Created().json(view))
    })
    .await
}

/// Unsubscribe one of the caller's devices (before signing out on it).
#[utoipa::path(tag = "push", params(("id" = String, Path, description = "From the subscription's answer")), responses(
    (status = 204, description = "Unsubscribed"),
    AuthErrors, NotFound,
), security(("bearer" = [])))]
#[delete("/me/push-subscriptions/{id}")]
pub async fn unsubscribe(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Result<AuthUser, AppError>,
    id: web::Path<String>,
) -> Result<HttpResponse, Localised> {
    in_callers_language(&req, auth, |auth| async move {
        service::unsubscribe(&state, &auth, id.into_inner()).await?;
        Ok(HttpResponse::NoContent().finish())
    })
    .await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(public_key).service(subscribe).service(unsubscribe);
}
