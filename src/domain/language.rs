//! Languages: the one a person wants to be called back in, and the one staff are
//! written to in.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Language the person wants to be called back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Nl,
    Fr,
    De,
    En,
    Other,
}

text_enum!(Language { Nl => "nl", Fr => "fr", De => "de", En => "en", Other => "other" });

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
