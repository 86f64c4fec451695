//! Access-token signing keys. Production takes them from `SAFERELAY_JWT_KEYS`;
//! development generates one into a key file created with mode 0600, so restarts
//! keep sessions valid and nothing secret lands in the repository.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// One HMAC key with its id (`kid`).
#[derive(Clone, Serialize, Deserialize)]
pub struct SigningKey {
    pub kid: String,
    /// Base64 of at least 32 random bytes.
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

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    jwt: Vec<SigningKey>,
}

/// Parses `kid:base64,kid:base64` (first one signs).
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

/// Reads the development key file, creating it (mode 0600) on first use.
pub fn load_or_create_key_file(path: &Path) -> Result<Vec<SigningKey>, String> {
    if path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let file: KeyFile = serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
        return Ok(file.jwt);
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let key = SigningKey {
        kid: format!("dev-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
        secret: STANDARD.encode(secret),
    };
    let file = KeyFile { jwt: vec![key] };
    let json = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("creating {}: {e}", path.display()))?;
    f.write_all(json.as_bytes()).map_err(|e| e.to_string())?;
    Ok(file.jwt)
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
        assert_eq!(first[0].secret, second[0].secret);
        assert_eq!(first[0].secret_bytes().unwrap().len(), 32);
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
