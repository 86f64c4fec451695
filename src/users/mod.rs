//! Accounts: roles, the scope each account belongs to, and their administration.

pub mod model;
pub mod routes;
pub mod service;
pub mod store;
