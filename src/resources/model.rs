//! The referral directory's vocabulary: kinds of help and a resource as relays
//! and admins see it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Language, Region};
use crate::text_enum;

/// What kind of help a resource offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Emergency,
    Helpline,
    Shelter,
    CawCpas,
    PoliceVictimSupport,
    SexualAssaultCentre,
    LegalAid,
    Other,
}
text_enum!(ResourceKind {
    Emergency => "emergency",
    Helpline => "helpline",
    Shelter => "shelter",
    CawCpas => "caw_cpas",
    PoliceVictimSupport => "police_victim_support",
    SexualAssaultCentre => "sexual_assault_centre",
    LegalAid => "legal_aid",
    Other => "other",
});

/// A referral resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Resource {
    pub id: String,
    pub kind: ResourceKind,
    pub name: String,
    pub regions: Vec<Region>,
    pub languages: Vec<Language>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Free text, e.g. `Mon-Fri 09:00-17:00` or `24/7`.
    pub opening_hours: Option<String>,
    pub active: bool,
}
