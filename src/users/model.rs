//! An account as the services see it. Its vocabulary (ids, role, scope, e-mail,
//! language) is shared and lives in `crate::domain`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{Email, HelplineId, ProgrammeId, RelayPointId, Role, Scope, StaffLanguage, UserId};

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
    /// Access tokens carry it; bumping it ends them all at once.
    pub token_version: i64,
}

/// An account as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub programme_id: Option<ProgrammeId>,
    pub relay_point_id: Option<RelayPointId>,
    pub helpline_id: Option<HelplineId>,
    pub language: StaffLanguage,
    pub active: bool,
    /// A second factor (TOTP) is enrolled.
    pub two_factor: bool,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            email: u.email.as_str().to_string(),
            role: u.role,
            programme_id: u.scope.programme_id,
            relay_point_id: u.scope.relay_point_id,
            helpline_id: u.scope.helpline_id,
            language: u.language,
            active: u.active,
            two_factor: u.two_factor,
            created_at: u.created_at.and_utc(),
            deactivated_at: u.deactivated_at.map(|t| t.and_utc()),
        }
    }
}

/// Which accounts a list shows; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub role: Option<Role>,
    /// `Some(true)`: active accounts only; `Some(false)`: deactivated ones only.
    pub active: Option<bool>,
    /// A part of the e-mail address (lower case).
    pub text: Option<String>,
}
