//! Forwarding: the outbox worker delivers each signal to its helpline's channels
//! (e-mail, signed webhook) with retries, backoff and dead-lettering.

pub mod account_mail;
pub mod delivery;
pub mod email;
pub(crate) mod mail_queue;
pub mod model;
pub mod notices;
pub mod routes;
pub mod service;
pub mod staff_alerts;
pub mod store;
pub mod templates;
pub mod webhook;
pub mod worker;
