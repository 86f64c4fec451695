//! The relay network: programmes, relay points (with CSV import and export), and
//! the staff of relay points (invitations, deactivation).

pub mod csv_format;
pub mod csv_routes;
pub mod import;
pub mod model;
pub mod programme_routes;
pub mod routes;
pub mod service;
pub mod staff;
pub mod staff_import;
pub mod staff_routes;
pub mod store;
pub mod table;

/// Registers the relay network's routes. The fixed paths under `/relay-points/`
/// come before `/relay-points/{id}`, which would otherwise swallow them.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(programme_routes::create_programme)
        .service(programme_routes::list_programmes)
        .service(programme_routes::get_programme)
        .service(csv_routes::import_relay_points)
        .service(csv_routes::export_relay_points)
        .service(routes::create_relay_point)
        .service(routes::list_relay_points)
        .service(routes::get_relay_point)
        .service(routes::update_relay_point)
        .service(staff_routes::import_invitations)
        .service(staff_routes::list_pending_invitations)
        .service(staff_routes::invite_staff)
        .service(staff_routes::accept_invitation)
        .service(staff_routes::list_staff)
        .service(staff_routes::deactivate_staff)
        .service(staff_routes::resend_invitation)
        .service(staff_routes::revoke_invitation);
}
