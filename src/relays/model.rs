//! Domain types of the relay network: Belgian postcodes and the region they lie in,
//! relay kinds, spoken languages, bounded text, and a validated relay point.
//! Every type is built through `parse`, so holding one means it is valid.

use crate::domain::{ProgrammeId, Region, RelayKind, RelayPointId, Text};
use crate::http::error::FieldError;

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
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
