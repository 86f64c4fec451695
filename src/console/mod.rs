//! The console: the web pages helpline staff work in (and, later, programme
//! managers and admins), under `/console/`. Server-rendered HTML from askama
//! templates (checked at compile time) with a small script of our own for what is
//! live: the queue refreshing itself, the claim heartbeat, hiding a revealed
//! contact. Every core action is a plain form, so it still works when the script
//! does not load. The pages call the same services as the JSON API, with the same
//! role and scope rules; only the sign-in differs (a server-side session in an
//! `HttpOnly` cookie instead of bearer tokens).

pub mod admin;
pub mod assets;
pub mod enrol;
pub mod i18n;
pub mod impact;
pub mod pages;
pub mod programme;
pub mod session;
mod store;
pub mod supervisor;

use actix_web::web;

/// The console's routes (registered outside the OpenAPI document: they are pages).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(pages::root)).route("/console", web::get().to(pages::root)).service(
        web::scope("/console")
            .route("/", web::get().to(pages::home))
            .route("/assets/{name}", web::get().to(assets::serve))
            .route("/sign-in", web::get().to(pages::sign_in_form))
            .route("/sign-in", web::post().to(pages::sign_in))
            .route("/enrol", web::get().to(enrol::page))
            .route("/enrol", web::post().to(enrol::confirm))
            .route("/sign-out", web::post().to(pages::sign_out))
            .route("/sign-out-everywhere", web::post().to(pages::sign_out_everywhere))
            .route("/language", web::post().to(pages::language))
            .route("/queue", web::get().to(pages::queue))
            .route("/queue/rows", web::get().to(pages::queue_rows))
            .route("/cases/{reference}", web::get().to(pages::case))
            .route("/cases/{reference}/claim", web::post().to(pages::claim))
            .route("/cases/{reference}/release", web::post().to(pages::release))
            .route("/cases/{reference}/reveal", web::post().to(pages::reveal))
            .route("/cases/{reference}/heartbeat", web::post().to(pages::heartbeat))
            .route("/cases/{reference}/attempts", web::post().to(pages::attempt))
            .route("/cases/{reference}/close", web::post().to(pages::close))
            .route("/cases/{reference}/reassign", web::post().to(supervisor::case_reassign))
            .route("/cases/{reference}/transfer", web::post().to(supervisor::case_transfer))
            .route("/supervisor", web::get().to(supervisor::page))
            .route("/supervisor/reassign", web::post().to(supervisor::reassign))
            .route("/supervisor/dead-letters/{id}/retry", web::post().to(supervisor::retry))
            .route("/impact", web::get().to(impact::page))
            .route("/impact/report", web::get().to(impact::report))
            .route("/impact/{file}", web::get().to(impact::csv))
            .configure(admin_routes)
            .configure(admin::rules::configure)
            .configure(helpline_admin_routes)
            .configure(programme::configure),
    );
}

/// Creating and renaming helplines, under `/console/admin/helplines`.
fn helpline_admin_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/helplines", web::post().to(admin::create_helpline))
        .route("/admin/helplines/{id}/name", web::post().to(admin::rename));
}

/// The admin pages, under `/console/admin/`.
fn admin_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/route-simulator", web::get().to(admin::simulator))
        .route("/admin/helplines", web::get().to(admin::helplines))
        .route("/admin/helplines/{id}", web::get().to(admin::helpline))
        .route("/admin/helplines/{id}/languages", web::post().to(admin::languages))
        .route("/admin/helplines/{id}/channels", web::post().to(admin::channels))
        .route("/admin/helplines/{id}/test-delivery", web::post().to(admin::test_delivery))
        .route("/admin/helplines/{id}/hours/add", web::post().to(admin::slot_add))
        .route("/admin/helplines/{id}/hours/remove", web::post().to(admin::slot_remove))
        .route("/admin/helplines/{id}/holidays", web::post().to(admin::holidays))
        .route("/admin/helplines/{id}/exceptions/add", web::post().to(admin::exception_add))
        .route("/admin/helplines/{id}/exceptions/remove", web::post().to(admin::exception_remove))
        .route("/admin/accounts", web::get().to(admin::accounts::list))
        .route("/admin/accounts/invite", web::post().to(admin::accounts::invite))
        .route("/admin/accounts/{id}", web::get().to(admin::accounts::account))
        .route("/admin/accounts/{id}/role", web::post().to(admin::accounts::change_role))
        .route("/admin/accounts/{id}/deactivate", web::post().to(admin::accounts::deactivate))
        .route("/admin/accounts/{id}/reactivate", web::post().to(admin::accounts::reactivate))
        .route("/admin/accounts/{id}/second-factor/reset", web::post().to(admin::accounts::reset_second_factor))
        .route("/admin/accounts/{id}/invitation", web::post().to(admin::accounts::reinvite))
        .route("/admin/audit", web::get().to(admin::accounts::audit_log))
        .route("/admin/referrals", web::get().to(admin::referrals::list))
        .route("/admin/referrals", web::post().to(admin::referrals::add))
        .route("/admin/referrals/{id}", web::get().to(admin::referrals::entry))
        .route("/admin/referrals/{id}", web::post().to(admin::referrals::save))
        .route("/admin/referrals/{id}/retire", web::post().to(admin::referrals::retire));
}
