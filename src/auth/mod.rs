//! Sign-in: Argon2id passwords, signed short-lived access tokens, rotating refresh
//! tokens with reuse detection, and the login/refresh/logout/me endpoints.

pub mod keys;
pub mod password;
pub mod password_policy;
pub mod reset;
pub mod routes;
pub mod service;
pub mod store;
pub mod throttle;
pub mod tokens;
pub mod totp;
pub mod totp_routes;
