//! The integration suite: each test spawns the real app on port 0 with its own
//! fresh database and speaks HTTP to it — once on SQLite, once on PostgreSQL.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod fixtures;
mod helpers;
mod postgres;
mod push;
mod receiver;
mod smtp;

mod account_admin;
mod accounts;
mod alerts;
mod auth;
mod authz;
mod cases;
mod cli;
mod console;
mod console_admin;
mod console_enrol;
mod console_impact;
mod console_programme;
mod console_routing;
mod console_supervisor;
mod console_training;
mod coverage_history;
mod docs;
mod errors;
mod escalation;
mod expiries;
mod faults;
mod forwarding;
mod guidance;
mod import;
mod invitations;
mod migrations;
mod openapi;
mod ops;
mod privacy;
mod relay_app;
mod relay_app_account;
mod relays;
mod reminders;
mod retention;
mod rotation;
mod route_simulator;
mod routing;
mod security;
mod signals;
mod staff_invitations;
mod stats;
mod stats_seed;
mod supervision;
mod training;
mod training_admin;
mod users;
mod vendor;
mod webhooks;
mod withdraw;
