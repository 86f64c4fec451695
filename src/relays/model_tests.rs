//! Postcodes, regions and relay-point field validation.

use super::*;

#[test]
fn postcodes_map_to_regions_at_every_range_boundary() {
    let cases = [
        ("1000", Region::Brussels),
        ("1299", Region::Brussels),
        ("1300", Region::Wallonia),
        ("1499", Region::Wallonia),
        ("1500", Region::Flanders),
        ("3999", Region::Flanders),
        ("4000", Region::Wallonia),
        ("4700", Region::Wallonia), // Eupen: German-speaking, part of Wallonia
        ("7999", Region::Wallonia),
        ("8000", Region::Flanders),
        ("9999", Region::Flanders),
    ];
    for (code, region) in cases {
        assert_eq!(Postcode::parse(code).unwrap().region(), region, "{code}");
    }
}

#[test]
fn postcodes_are_exactly_four_digits_from_1000() {
    for bad in ["", "999", "0999", "10000", "1 00", "abcd", "-100", "+100", "１０００"] {
        assert!(Postcode::parse(bad).is_err(), "{bad} accepted");
    }
    assert_eq!(Postcode::parse(" 4000 ").unwrap().to_string(), "4000");
}

#[test]
fn languages_are_normalised_and_deduplicated() {
    assert_eq!(SpokenLanguages::parse("l", "FR; nl,fr de").unwrap().to_stored(), "fr,nl,de");
    assert!(SpokenLanguages::parse("l", "").is_err());
    assert!(SpokenLanguages::parse("l", "french").is_err());
}

#[test]
fn text_refuses_formula_prefixes_and_overlong_values() {
    assert!(Text::parse("name", "=HYPERLINK(\"x\")", 200).is_err());
    assert!(Text::parse("name", "   ", 200).is_err());
    assert!(Text::parse("name", &"x".repeat(201), 200).is_err());
    assert_eq!(Text::parse("name", " Pharmacie ", 200).unwrap().as_str(), "Pharmacie");
}

#[test]
fn region_defaults_to_the_postcode_and_can_be_overridden() {
    let raw = RawRelayPoint {
        name: "P",
        address: "A",
        postcode: "1050",
        municipality: "Ixelles",
        languages: vec!["fr"],
        active: true,
        ..Default::default()
    };
    assert_eq!(RelayPointFields::parse(raw.clone()).unwrap().region, Region::Brussels);
    let over = RawRelayPoint { region: Some(Region::Flanders), ..raw };
    assert_eq!(RelayPointFields::parse(over).unwrap().region, Region::Flanders);
}

#[test]
fn all_field_errors_are_reported_together() {
    let raw = RawRelayPoint { name: "", address: "", postcode: "12", municipality: "", ..Default::default() };
    let errors = RelayPointFields::parse(raw).unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "address", "postcode", "municipality", "languages"]);
}

fn ixelles_salon() -> RelayPointFields {
    RelayPointFields::parse(RawRelayPoint {
        external_id: Some("APB-1050-002"),
        kind: RelayKind::Hairdresser,
        name: "Salon",
        address: "Chaussée d'Ixelles 2",
        postcode: "1050",
        municipality: "Ixelles",
        region: Some(Region::Flanders),
        languages: vec!["fr", "nl"],
        active: true,
    })
    .unwrap()
}

#[test]
fn an_empty_patch_keeps_every_field_including_an_overridden_region() {
    let old = ixelles_salon();
    assert_eq!(RelayPatch::default().apply(&old).unwrap(), old);
}

#[test]
fn a_patch_changes_only_what_it_names() {
    let old = ixelles_salon();
    let patch = RelayPatch { name: Some("Salon Mèches".into()), active: Some(false), ..Default::default() };
    let new = patch.apply(&old).unwrap();
    assert_eq!(new.name.as_str(), "Salon Mèches");
    assert!(!new.active);
    assert_eq!(RelayPointFields { name: old.name.clone(), active: old.active, ..new }, old);
}

#[test]
fn a_new_postcode_without_a_region_re_derives_the_region() {
    let old = ixelles_salon();
    let moved = RelayPatch { postcode: Some("4000".into()), ..Default::default() }.apply(&old).unwrap();
    assert_eq!((moved.postcode.to_string().as_str(), moved.region), ("4000", Region::Wallonia));
    let kept = RelayPatch { postcode: Some("4000".into()), region: Some(Region::Brussels), ..Default::default() };
    assert_eq!(kept.apply(&old).unwrap().region, Region::Brussels);
}

#[test]
fn a_patch_is_validated_with_the_fields_it_keeps() {
    let patch = RelayPatch { postcode: Some("12".into()), languages: Some(vec![]), ..Default::default() };
    let errors = patch.apply(&ixelles_salon()).unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["postcode", "languages"]);
}
