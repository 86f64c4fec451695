//! An account as the services see it. Its vocabulary (ids, role, scope, e-mail,
//! language) is shared and lives in `crate::domain`.

use crate::domain::{Email, Role, Scope, StaffLanguage, UserId};

/// A user account as the services see it (the password hash stays in the store).
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub role: Role,
    pub scope: Scope,
    pub language: StaffLanguage,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub deactivated_at: Option<chrono::NaiveDateTime>,
    /// A second factor (TOTP) is enrolled.
    pub two_factor: bool,
}
