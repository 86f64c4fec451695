//! Domain types of the relay network: programmes, Belgian postcodes and the region
//! they lie in, spoken languages, a validated relay point and a change to one, and
//! staff invitations. Every value type is built through `parse`, so holding one
//! means it is valid; the stores convert their rows to these types.

use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::{ProgrammeId, Region, RelayKind, RelayPointId, Text};
use crate::http::error::FieldError;

/// A programme: the owner of a network of relay points (a pharmacists' union, a
/// federation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub id: ProgrammeId,
    /// Short unique code, e.g. `be-wal-pharma`.
    pub code: String,
    pub name: String,
    /// ISO 3166 alpha-2 country.
    pub country: String,
    pub created_at: NaiveDateTime,
}

/// A Belgian postcode: four digits, 1000–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Postcode(u16);

impl Postcode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let bad = || FieldError::new("postcode", "must be a Belgian postcode: four digits, 1000–9999");
        if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: u16 = s.parse().map_err(|_| bad())?;
        if n < 1000 {
            return Err(bad());
        }
        Ok(Self(n))
    }

    pub fn value(self) -> u16 {
        self.0
    }

    /// The region the postcode lies in, by bpost's ranges. 1300–1499 is Walloon
    /// Brabant, which is why Wallonia appears twice.
    pub fn region(self) -> Region {
        match self.0 {
            1000..=1299 => Region::Brussels,
            1300..=1499 => Region::Wallonia,
            1500..=3999 => Region::Flanders,
            4000..=7999 => Region::Wallonia,
            _ => Region::Flanders,
        }
    }
}

impl std::fmt::Display for Postcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.0)
    }
}

/// Languages spoken at a relay point: ISO 639-1 codes, lower case, no duplicates,
/// at least one. Stored as `fr,nl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpokenLanguages(Vec<String>);

impl SpokenLanguages {
    /// Accepts codes separated by commas, semicolons or spaces (CSV cells use `;`).
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        Self::from_codes(field, raw.split([',', ';', ' ']).map(str::trim).filter(|s| !s.is_empty()))
    }

    pub fn from_codes<'a>(field: &str, codes: impl IntoIterator<Item = &'a str>) -> Result<Self, FieldError> {
        let mut out: Vec<String> = Vec::new();
        for code in codes {
            let c = code.trim().to_ascii_lowercase();
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(FieldError::new(
                    field,
                    format!("`{code}` is not a two-letter language code (fr, nl, de, en…)"),
                ));
            }
            if !out.contains(&c) {
                out.push(c);
            }
        }
        if out.is_empty() {
            return Err(FieldError::new(field, "at least one language is required"));
        }
        Ok(Self(out))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn to_stored(&self) -> String {
        self.0.join(",")
    }
}

/// Everything a relay point is made of, validated. The region is the postcode's
/// unless overridden (a postcode on a regional border, a local arrangement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayPointFields {
    pub external_id: Option<Text>,
    pub kind: RelayKind,
    pub name: Text,
    pub address: Text,
    pub postcode: Postcode,
    pub municipality: Text,
    pub region: Region,
    pub languages: SpokenLanguages,
    pub active: bool,
}

/// Raw values as a request or a CSV row gives them.
#[derive(Debug, Default, Clone)]
pub struct RawRelayPoint<'a> {
    pub external_id: Option<&'a str>,
    pub kind: RelayKind,
    pub name: &'a str,
    pub address: &'a str,
    pub postcode: &'a str,
    pub municipality: &'a str,
    pub region: Option<Region>,
    pub languages: Vec<&'a str>,
    pub active: bool,
}

impl RelayPointFields {
    /// Validates every field and reports all problems at once.
    pub fn parse(raw: RawRelayPoint<'_>) -> Result<Self, Vec<FieldError>> {
        fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
            r.map_err(|e| errors.push(e)).ok()
        }
        let mut errors = Vec::new();
        let e = &mut errors;
        let external_id = match raw.external_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => keep(e, Text::parse("external_id", id, 64)).map(Some),
            None => Some(None),
        };
        let name = keep(e, Text::parse("name", raw.name, 200));
        let address = keep(e, Text::parse("address", raw.address, 300));
        let postcode = keep(e, Postcode::parse(raw.postcode));
        let municipality = keep(e, Text::parse("municipality", raw.municipality, 100));
        let languages = keep(e, SpokenLanguages::from_codes("languages", raw.languages));
        match (external_id, name, address, postcode, municipality, languages) {
            (Some(external_id), Some(name), Some(address), Some(postcode), Some(municipality), Some(languages)) => {
                Ok(Self {
                    external_id,
                    kind: raw.kind,
                    name,
                    address,
                    region: raw.region.unwrap_or_else(|| postcode.region()),
                    postcode,
                    municipality,
                    languages,
                    active: raw.active,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A stored relay point.
#[derive(Debug, Clone)]
pub struct RelayPoint {
    pub id: RelayPointId,
    pub programme_id: ProgrammeId,
    pub fields: RelayPointFields,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

// The body of `PATCH /api/v1/relay-points/{id}` is this type: its schema keeps the
// request's name, and the doc comments below are the schema's descriptions.
/// Body of `PATCH /api/v1/relay-points/{id}`: only the fields to change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = UpdateRelayPointRequest)]
pub struct RelayPatch {
    pub external_id: Option<String>,
    pub kind: Option<RelayKind>,
    pub name: Option<String>,
    pub address: Option<String>,
    /// A new postcode without `region` re-derives the region.
    pub postcode: Option<String>,
    pub municipality: Option<String>,
    pub region: Option<Region>,
    pub languages: Option<Vec<String>>,
    pub active: Option<bool>,
}

impl RelayPatch {
    /// The relay point's fields after the change, validated as a whole: absent
    /// fields keep their value; a new postcode without a region re-derives the
    /// region from the postcode.
    pub fn apply(&self, old: &RelayPointFields) -> Result<RelayPointFields, Vec<FieldError>> {
        let region = match (self.region, &self.postcode) {
            (Some(r), _) => Some(r),
            (None, Some(_)) => None,
            (None, None) => Some(old.region),
        };
        let old_postcode = old.postcode.to_string();
        let languages = match &self.languages {
            Some(codes) => codes.iter().map(String::as_str).collect(),
            None => old.languages.as_slice().iter().map(String::as_str).collect(),
        };
        RelayPointFields::parse(RawRelayPoint {
            external_id: self.external_id.as_deref().or(old.external_id.as_ref().map(Text::as_str)),
            kind: self.kind.unwrap_or(old.kind),
            name: self.name.as_deref().unwrap_or(old.name.as_str()),
            address: self.address.as_deref().unwrap_or(old.address.as_str()),
            postcode: self.postcode.as_deref().unwrap_or(&old_postcode),
            municipality: self.municipality.as_deref().unwrap_or(old.municipality.as_str()),
            region,
            languages,
            active: self.active.unwrap_or(old.active),
        })
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
