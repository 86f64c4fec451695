//! Belgian regions: where a relay point lies, what routing and statistics group by.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Belgian region. The German-speaking community is a sub-case of Wallonia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Flanders,
    Wallonia,
    Brussels,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Flanders, Region::Wallonia, Region::Brussels];

    pub fn as_str(self) -> &'static str {
        match self {
            Region::Flanders => "flanders",
            Region::Wallonia => "wallonia",
            Region::Brussels => "brussels",
        }
    }
}

impl FromStr for Region {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Region::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}
