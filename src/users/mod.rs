//! Accounts: who may sign in, in which role and scope, and their administration;
//! `caller` is the signed-in account every handler extracts (`AuthUser`).

pub mod caller;
pub mod invitations;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
