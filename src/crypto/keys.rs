//! Secret keys: access-token signing keys and contact master keys. Production takes
//! them from `SAFERELAY_JWT_KEYS` and `SAFERELAY_MASTER_KEYS`; development generates
//! them into a key file created with mode 0600, so restarts keep sessions valid and
//! contacts readable, and nothing secret lands in the repository.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// One secret with its id (`kid`).
#[derive(Clone, Serialize, Deserialize)]
pub struct SigningKey {
    pub kid: String,
    /// Base64 of 32 (or, for signing keys, at least 32) random bytes.
    pub secret: String,
}

impl SigningKey {
    pub fn secret_bytes(&self) -> Result<Vec<u8>, String> {
        let bytes = STANDARD.decode(&self.secret).map_err(|_| format!("key {} is not base64", self.kid))?;
        if bytes.len() < 32 {
            return Err(format!("key {} is shorter than 32 bytes", self.kid));
        }
        Ok(bytes)
    }
}

/// The development key file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    pub jwt: Vec<SigningKey>,
    #[serde(default)]
    pub master: Vec<SigningKey>,
}

fn generate(prefix: &str) -> SigningKey {
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    SigningKey {
        kid: format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
        secret: STANDARD.encode(secret),
    }
}

fn write_private(path: &Path, file: &KeyFile, create_new: bool) -> Result<(), String> {
    let json = serde_json::to_string_pretty(file).map_err(|e| e.to_string())?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(create_new)
        .truncate(!create_new)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("writing {}: {e}", path.display()))?;
    f.write_all(json.as_bytes()).map_err(|e| e.to_string())
}

/// Parses `kid:base64,kid:base64` (the first one is current).
pub fn parse_key_list(list: &str) -> Result<Vec<SigningKey>, String> {
    let keys: Vec<SigningKey> = list
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|pair| {
            let (kid, secret) = pair.trim().split_once(':').ok_or("each JWT key must be kid:base64secret")?;
            Ok(SigningKey { kid: kid.to_string(), secret: secret.to_string() })
        })
        .collect::<Result<_, String>>()?;
    if keys.is_empty() {
        return Err("no JWT keys configured".into());
    }
    Ok(keys)
}

/// Reads the development key file, creating it (mode 0600) on first use, and
/// adding a master key to a file written before master keys existed.
pub fn load_or_create_key_file(path: &Path) -> Result<KeyFile, String> {
    if path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let mut file: KeyFile = serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
        if file.master.is_empty() {
            file.master.push(generate("master"));
            write_private(path, &file, false)?;
        }
        return Ok(file);
    }
    let file = KeyFile { jwt: vec![generate("dev")], master: vec![generate("master")] };
    write_private(path, &file, true)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let first = load_or_create_key_file(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let second = load_or_create_key_file(&path).unwrap();
        assert_eq!(first.jwt[0].secret, second.jwt[0].secret);
        assert_eq!(first.master[0].secret, second.master[0].secret);
        assert_eq!(first.jwt[0].secret_bytes().unwrap().len(), 32);
    }

    #[test]
    fn key_list_parses_and_rejects_garbage() {
        let keys = parse_key_list("a:QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=, b:eHh4").unwrap();
        assert_eq!(keys.len(), 2);
        assert!(keys[1].secret_bytes().is_err());
        assert!(parse_key_list("nocolon").is_err());
        assert!(parse_key_list("").is_err());
    }
}
