//! Domain types for accounts: typed ids, roles, e-mail addresses, languages, and the
//! scope (programme, relay point, helpline) an account belongs to.

use std::fmt;
use std::str::FromStr;

use crate::http::error::FieldError;
pub use crate::ids::{HelplineId, ProgrammeId, RelayPointId, UserId};
use serde::{Deserialize, Serialize};

/// What an account may do; each role acts only within its scope (programme, relay point or helpline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    ProgrammeManager,
    RelayStaff,
    HelplineOperator,
    HelplineSupervisor,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::Admin, Role::ProgrammeManager, Role::RelayStaff, Role::HelplineOperator, Role::HelplineSupervisor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ProgrammeManager => "programme_manager",
            Role::RelayStaff => "relay_staff",
            Role::HelplineOperator => "helpline_operator",
            Role::HelplineSupervisor => "helpline_supervisor",
        }
    }

    /// Roles that see personal data or manage those who do: two factors by policy.
    pub fn needs_second_factor(self) -> bool {
        matches!(self, Role::Admin | Role::HelplineOperator | Role::HelplineSupervisor)
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}

/// Languages staff are written to in (invitations, reminders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StaffLanguage {
    Fr,
    Nl,
    De,
    #[default]
    En,
}

impl StaffLanguage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::Nl => "nl",
            Self::De => "de",
            Self::En => "en",
        }
    }
}

impl FromStr for StaffLanguage {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        [Self::Fr, Self::Nl, Self::De, Self::En].into_iter().find(|l| l.as_str() == s).ok_or(())
    }
}

/// A syntactically plausible e-mail address, trimmed and lower-cased.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_lowercase();
        let bad = || FieldError::new("email", "is not a valid e-mail address");
        if s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.is_empty()
            || domain.contains('@')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(bad());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Staff addresses are not victim data, but keeping them out of debug output
// costs nothing and keeps logs clean.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email([redacted])")
    }
}

/// Where an account belongs. Which field is set follows from the role:
/// admin none, manager a programme, relay staff a relay point (and its programme),
/// helpline staff a helpline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub programme_id: Option<ProgrammeId>,
    pub relay_point_id: Option<RelayPointId>,
    pub helpline_id: Option<HelplineId>,
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(Email::parse("  Ann@Example.BE ").unwrap().as_str(), "ann@example.be");
        for bad in ["", "ann", "@x.be", "ann@", "a b@x.be", "a@b@c", "a@.be", "a@be."] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn roles_round_trip_through_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
