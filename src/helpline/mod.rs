//! Helpline work: the callback queue of a helpline, claims, audited contact
//! reveal, call attempts, transfer and close (which destroys the contact).

pub mod escalation;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
pub mod supervision;
