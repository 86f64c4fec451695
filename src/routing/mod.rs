//! Helplines, their opening hours, and the admin-managed rules that route each
//! signal to the destination that calls back.

pub mod hours;
pub mod model;
#[cfg(test)]
mod tests;
