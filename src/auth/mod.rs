//! Sign-in: login with password and second factor, rotating refresh tokens with
//! reuse detection, password reset, TOTP enrolment, and the login/refresh/logout/me
//! endpoints. The primitives (Argon2id hashing, signed access tokens, key files)
//! are in `crate::crypto`.

pub mod model;
pub mod password_policy;
pub mod reset;
pub mod routes;
pub mod service;
pub mod store;
pub mod throttle;
pub mod totp;
pub mod totp_routes;
