//! Retention: contact data is destroyed when a signal closes and at the latest
//! after `SAFERELAY_CONTACT_RETENTION_DAYS` (the signal then expires; supervisors
//! are warned 24 hours before); closed signals are minimised to what statistics
//! need; after `SAFERELAY_ROLLUP_AFTER_MONTHS` they become anonymous monthly
//! aggregates. Idempotency records, audit rows and deliveries have their own
//! retention. Runs inside `serve` and on demand with `saferelay purge`.

pub mod service;
pub mod store;

pub use service::{Policy, Report, run, run_forever};
