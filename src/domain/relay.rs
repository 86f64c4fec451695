//! What a relay point is and where its training stands: recorded with every
//! signal, counted by the statistics, managed by the relay network.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What kind of business the relay point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelayKind {
    #[default]
    Pharmacy,
    Hairdresser,
    Other,
}

impl RelayKind {
    pub const ALL: [RelayKind; 3] = [RelayKind::Pharmacy, RelayKind::Hairdresser, RelayKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            RelayKind::Pharmacy => "pharmacy",
            RelayKind::Hairdresser => "hairdresser",
            RelayKind::Other => "other",
        }
    }
}

impl FromStr for RelayKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        RelayKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// A relay point's derived training status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrainingStatus {
    /// At least one active staff member holds valid completions of all required
    /// modules, and that lasts more than 30 days.
    Trained,
    /// As trained, but every qualified staff member's training lapses within 30 days.
    Expiring,
    /// Nobody is qualified now, but an active staff member has completed every
    /// required module at some time: the training lapsed and needs renewing.
    Lapsed,
    /// No active staff member ever completed all required modules (or the programme
    /// requires none yet, so nobody can be called trained).
    Untrained,
}

impl TrainingStatus {
    pub const ALL: [TrainingStatus; 4] = [Self::Trained, Self::Expiring, Self::Lapsed, Self::Untrained];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trained => "trained",
            Self::Expiring => "expiring",
            Self::Lapsed => "lapsed",
            Self::Untrained => "untrained",
        }
    }
}

impl FromStr for TrainingStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or(())
    }
}
