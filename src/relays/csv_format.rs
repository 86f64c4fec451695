//! The relay-point CSV format, shared by import and export:
//!
//! `external_id,kind,name,address,postcode,municipality,region,languages,active`
//!
//! `region` may be blank (derived from the postcode), `active` blank means `true`,
//! `languages` are separated by `;`. Export adds `id` and `training_status`, which
//! import ignores, so an exported file can be edited and imported again.

use crate::domain::Region;
use crate::domain::RelayKind;

use super::model::{RawRelayPoint, RelayPointFields};
use crate::http::csv_import::Header;
use crate::http::error::FieldError;

/// Columns an import must have.
pub const REQUIRED: [&str; 7] = ["external_id", "kind", "name", "address", "postcode", "municipality", "languages"];
/// Columns an import may have.
pub const OPTIONAL: [&str; 2] = ["region", "active"];
/// Columns of an export that an import ignores.
pub const EXPORT_ONLY: [&str; 2] = ["id", "training_status"];

/// Parses `true/false`, `yes/no`, `1/0` (blank: `default`).
pub fn parse_bool(field: &str, raw: &str, default: bool) -> Result<bool, FieldError> {
    match raw.to_ascii_lowercase().as_str() {
        "" => Ok(default),
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(FieldError::new(field, "must be true or false")),
    }
}

/// Parses one data row of a relay-point import; every problem of the row is reported.
pub fn parse_relay_row(header: &Header, record: &csv::StringRecord) -> Result<RelayPointFields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let external_id = header.get(record, "external_id");
    if external_id.is_empty() {
        errors.push(FieldError::new(
            "external_id",
            "is required: it is what makes a re-import update instead of duplicate",
        ));
    }
    let kind_raw = header.get(record, "kind").to_ascii_lowercase();
    let kind = kind_raw.parse::<RelayKind>().map_err(|_| {
        errors.push(FieldError::new("kind", format!("`{kind_raw}` is not one of pharmacy, hairdresser, other")))
    });
    let region_raw = header.get(record, "region").to_ascii_lowercase();
    let region = if region_raw.is_empty() {
        Ok(None)
    } else {
        region_raw.parse::<Region>().map(Some).map_err(|_| {
            errors.push(FieldError::new("region", format!("`{region_raw}` is not one of flanders, wallonia, brussels")))
        })
    };
    let active = parse_bool("active", header.get(record, "active"), true).map_err(|e| errors.push(e));
    let languages: Vec<&str> =
        header.get(record, "languages").split([';', ',', ' ']).map(str::trim).filter(|s| !s.is_empty()).collect();
    let raw = RawRelayPoint {
        external_id: Some(external_id),
        kind: kind.unwrap_or_default(),
        name: header.get(record, "name"),
        address: header.get(record, "address"),
        postcode: header.get(record, "postcode"),
        municipality: header.get(record, "municipality"),
        region: region.unwrap_or(None),
        languages,
        active: active.unwrap_or(true),
    };
    match RelayPointFields::parse(raw) {
        Ok(fields) if errors.is_empty() => Ok(fields),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// The export header, in order.
pub const EXPORT_HEADER: [&str; 11] = [
    "id",
    "external_id",
    "kind",
    "name",
    "address",
    "postcode",
    "municipality",
    "region",
    "languages",
    "active",
    "training_status",
];
