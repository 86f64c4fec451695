//! Helplines, their opening hours, and the admin-managed rules that route each
//! signal to the destination that calls back.

pub mod cache;
pub mod holidays;
pub mod hours;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
#[cfg(test)]
mod tests;
