//! What an account may do (its role) and where it belongs (its scope): carried in
//! access tokens and checked by every capability.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{HelplineId, ProgrammeId, RelayPointId};

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
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
