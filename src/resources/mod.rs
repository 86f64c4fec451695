//! Referral directory: where else a relay can send someone (helplines, shelters,
//! CAW/CPAS, police victim support, sexual-assault care centres, legal aid).

pub mod model;
pub mod routes;
pub mod service;
pub mod store;
