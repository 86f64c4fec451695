//! Signal intake: a relay files a Mask-19 signal, idempotently; it is routed,
//! its contact encrypted, and it is written with its outbox row in one transaction.
//! Relays then follow its status, and nothing more.

pub mod alerts;
pub mod case_store;
pub mod guidance;
pub mod model;
pub mod relay_view;
pub mod routes;
pub mod service;
pub mod simulate;
pub mod store;
pub mod templates;
