//! Training: modules and completions per programme, the derived training status of
//! relay points (pure rules in `model.rs`), CSV import of completions, and the
//! reminder job.

pub mod import;
pub mod model;
pub mod reminder_store;
pub mod reminders;
pub mod routes;
pub mod service;
pub mod status;
pub mod store;

/// Registers the training routes (`/completions/import` before any `/completions/{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::create_training_module)
        .service(routes::list_training_modules)
        .service(routes::import_completions)
        .service(routes::record_completion)
        .service(routes::list_completions)
        .service(routes::export_completions)
        .service(routes::change_training_module)
        .service(routes::retire_training_module)
        .service(routes::correct_completion)
        .service(routes::delete_completion)
        .service(routes::my_training);
}
