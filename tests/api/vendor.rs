//! Third-party files are vendored into the repository, never fetched at run time,
//! each listed with its version, licence, source and SHA-256 in
//! `tests/assets/vendor/MANIFEST.toml` (test assets) and `assets/vendor/MANIFEST.toml`
//! (files the app serves).

use sha2::{Digest, Sha256};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    file: Vec<Entry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    package: String,
    version: String,
    licence: String,
    source: String,
    #[serde(rename = "use")]
    purpose: String,
    sha256: String,
}

fn files_under(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, base, out);
        } else {
            out.push(path.strip_prefix(base).unwrap().display().to_string());
        }
    }
}

#[test]
fn vendored_files_match_their_manifest() {
    // Test assets, and the files the app serves.
    for dir in ["tests/assets/vendor", "assets/vendor"] {
        check(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir));
    }
}

fn check(vendor: &std::path::Path) {
    let manifest: Manifest = toml::from_str(&std::fs::read_to_string(vendor.join("MANIFEST.toml")).unwrap()).unwrap();
    assert!(!manifest.file.is_empty());
    for e in &manifest.file {
        for (what, value) in [("package", &e.package), ("version", &e.version), ("licence", &e.licence)] {
            assert!(!value.trim().is_empty(), "{}: no {what}", e.path);
        }
        assert!(!e.source.trim().is_empty() && !e.purpose.trim().is_empty(), "{}: say where from and why", e.path);
        let bytes = std::fs::read(vendor.join(&e.path)).unwrap_or_else(|err| panic!("{}: {err}", e.path));
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(digest, e.sha256, "{} does not match its manifest entry", e.path);
    }
    let mut present = Vec::new();
    files_under(vendor, vendor, &mut present);
    for path in present.iter().filter(|p| *p != "MANIFEST.toml") {
        assert!(manifest.file.iter().any(|e| &e.path == path), "{path} is vendored but not in MANIFEST.toml");
    }
}
