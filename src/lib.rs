//! SafeRelay: the backend of a Mask-19 relay scheme. See README.md and docs/ARCHITECTURE.md.

pub mod audit;
pub mod auth;
pub mod config;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod domain;
pub mod helpline;
pub mod http;
pub mod mail;
pub mod metrics;
pub mod net;
pub mod openapi;
pub mod ops;
pub mod outbox;
pub mod relays;
pub mod resources;
pub mod retention;
pub mod routing;
pub mod signals;
pub mod startup;
pub mod state;
pub mod stats;
pub mod telemetry;
pub mod training;
pub mod users;
