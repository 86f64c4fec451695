//! Master-key rotation: `saferelay rotate-keys` re-wraps every live data key
//! (contacts, TOTP secrets, webhook secrets, the idempotency fingerprint key, the
//! Web Push key) under
//! the newest master key, and counts what still depends on each key.
//!
//! It runs beside `serve`: each purpose is read page by page (short reads), and each
//! page's re-wrapped keys are written in one short transaction that only touches a
//! row still holding the wrapped key that was read — a contact destroyed meanwhile
//! stays destroyed, a secret replaced meanwhile keeps its new value. Only the
//! wrapped data key changes; the ciphertext (and the data key) stay as they are.
//! A run can stop at any point and be started again: what is already under the
//! newest key is skipped.

pub mod service;
