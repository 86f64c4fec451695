//! The OpenAPI document, built from the handlers registered in `routes()`. The
//! committed `openapi.yaml` must equal `yaml()`: a test fails when they drift
//! (`saferelay openapi > openapi.yaml` regenerates it).

use actix_web::App;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "SafeRelay API",
        description = "Relay points pass a discreet Mask-19 signal to the right helpline; helplines work the callback; programme managers track training and anonymised figures. Errors are RFC 9457 application/problem+json.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in and sessions"),
        (name = "users", description = "Account administration"),
        (name = "signals", description = "Mask-19 signals filed by relay points"),
        (name = "push", description = "Web Push to relay devices: a signal's status changed"),
        (name = "cases", description = "Helpline work: the callback queue"),
        (name = "routing", description = "Helplines, opening hours and routing rules"),
        (name = "resources", description = "Referral directory"),
        (name = "relays", description = "Programmes, relay points, CSV import/export, staff invitations"),
        (name = "training", description = "Training modules, completions, derived training status"),
        (name = "stats", description = "Anonymised statistics: coverage and monthly signal figures with small-cell suppression"),
        (name = "supervision", description = "Supervisors and admins: dead-lettered deliveries and the audit log"),
        (name = "operations", description = "Probes and metrics"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::builder().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// Every route of the service. Registering a handler anywhere else would leave it
/// out of the OpenAPI document and of the 405 table.
pub fn routes(cfg: &mut ServiceConfig) {
    crate::ops::routes::configure(cfg);
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .configure(crate::auth::routes::configure)
            .configure(crate::auth::totp_routes::configure)
            .configure(crate::users::routes::configure)
            .configure(crate::signals::routes::configure)
            .configure(crate::helpline::routes::configure)
            .configure(crate::routing::routes::configure)
            .configure(crate::resources::routes::configure)
            .configure(crate::relays::configure)
            .configure(crate::training::configure)
            .configure(crate::stats::configure)
            .configure(crate::outbox::routes::configure)
            .configure(crate::audit::routes::configure)
            .configure(crate::push::routes::configure),
    );
}

/// The base document the registered handlers are added to.
pub fn base() -> utoipa::openapi::OpenApi {
    let mut api = ApiDoc::openapi();
    api.info.version = env!("CARGO_PKG_VERSION").to_string();
    api
}

/// The complete document, without building a running app.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new().into_utoipa_app().openapi(base()).configure(routes).split_for_parts();
    api
}

/// The document as YAML, exactly as committed in `openapi.yaml`.
pub fn yaml() -> Result<String, String> {
    spec().to_yaml().map_err(|e| e.to_string())
}
