//! Cryptography: envelope encryption of contact data (here), Argon2id password
//! hashing (`password`), signed access tokens (`tokens`) and the key file (`keys`).
//!
//! Envelope encryption of contact data. Each signal's contact is sealed with its own
//! random data key (XChaCha20-Poly1305); the data key is stored wrapped by a master
//! key named by a key id. Deleting the wrapped key destroys the contact for good,
//! including in backups, once the master key that wrapped it is retired (rotation).

pub mod keys;
pub mod password;
pub mod tokens;

use std::collections::HashMap;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;

/// A sealed value as stored: which master key wrapped the data key, the wrapped
/// data key, and the ciphertext (each prefixed with its nonce).
pub struct Sealed {
    pub key_id: String,
    pub wrapped_key: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("unknown master key id {0}")]
    UnknownKey(String),
    #[error("decryption failed")]
    Decrypt,
    #[error("encryption failed")]
    Encrypt,
}

/// The configured master keys; the first one wraps new data keys.
pub struct MasterKeyRing {
    current: String,
    keys: HashMap<String, Zeroizing<[u8; KEY_LEN]>>,
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rng().fill_bytes(&mut b);
    b
}

fn seal_with(key: &[u8; KEY_LEN], msg: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let cipher = XChaCha20Poly1305::new_from_slice(key).map_err(|_| CryptoError::Encrypt)?;
    let nonce_bytes = random::<NONCE_LEN>();
    let nonce = XNonce::try_from(&nonce_bytes[..]).map_err(|_| CryptoError::Encrypt)?;
    let ct = cipher.encrypt(&nonce, Payload { msg, aad }).map_err(|_| CryptoError::Encrypt)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce_bytes);
    out.extend_from_slice(&ct);
    Ok(out)
}

fn open_with(key: &[u8; KEY_LEN], sealed: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if sealed.len() < NONCE_LEN {
        return Err(CryptoError::Decrypt);
    }
    let (nonce_bytes, ct) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new_from_slice(key).map_err(|_| CryptoError::Decrypt)?;
    let nonce = XNonce::try_from(nonce_bytes).map_err(|_| CryptoError::Decrypt)?;
    cipher.decrypt(&nonce, Payload { msg: ct, aad }).map(Zeroizing::new).map_err(|_| CryptoError::Decrypt)
}

impl MasterKeyRing {
    /// Builds the ring from `(key id, 32-byte secret)` pairs, newest first.
    pub fn new(keys: Vec<(String, Vec<u8>)>) -> Result<Self, String> {
        let current = keys.first().ok_or("no master key configured")?.0.clone();
        let mut map = HashMap::new();
        for (kid, secret) in keys {
            let key: [u8; KEY_LEN] =
                secret.as_slice().try_into().map_err(|_| format!("master key {kid} must be exactly 32 bytes"))?;
            map.insert(kid, Zeroizing::new(key));
        }
        Ok(Self { current, keys: map })
    }

    fn key(&self, kid: &str) -> Result<&[u8; KEY_LEN], CryptoError> {
        self.keys.get(kid).map(|k| &**k).ok_or_else(|| CryptoError::UnknownKey(kid.to_string()))
    }

    /// Seals `plaintext` under a fresh data key; `context` (e.g. the signal id) is
    /// bound to both layers so a ciphertext cannot be moved to another signal.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Result<Sealed, CryptoError> {
        let data_key = Zeroizing::new(random::<KEY_LEN>());
        let ciphertext = seal_with(&data_key, plaintext, context)?;
        let wrapped_key = seal_with(self.key(&self.current)?, &data_key[..], &wrap_aad(&self.current, context))?;
        Ok(Sealed { key_id: self.current.clone(), wrapped_key, ciphertext })
    }

    pub fn open(&self, sealed: &Sealed, context: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let master = self.key(&sealed.key_id)?;
        let data_key = open_with(master, &sealed.wrapped_key, &wrap_aad(&sealed.key_id, context))?;
        let data_key: &[u8; KEY_LEN] = data_key.as_slice().try_into().map_err(|_| CryptoError::Decrypt)?;
        open_with(data_key, &sealed.ciphertext, context)
    }

    /// A key derived for keyed hashes (idempotency request fingerprints), so that
    /// a fingerprint of a body holding a phone number cannot be brute-forced.
    pub fn mac_key(&self) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.key(&self.current)?[..])
            .map_err(|_| CryptoError::Encrypt)?;
        mac.update(b"saferelay/idempotency-fingerprint/v1");
        Ok(Zeroizing::new(mac.finalize().into_bytes().to_vec()))
    }
}

fn wrap_aad(kid: &str, context: &[u8]) -> Vec<u8> {
    let mut aad = b"saferelay/data-key/".to_vec();
    aad.extend_from_slice(kid.as_bytes());
    aad.push(b'/');
    aad.extend_from_slice(context);
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(keys: &[(&str, u8)]) -> MasterKeyRing {
        MasterKeyRing::new(keys.iter().map(|(k, b)| (k.to_string(), vec![*b; 32])).collect()).unwrap()
    }

    #[test]
    fn sealed_values_open_only_with_their_context_and_key() {
        let r = ring(&[("k1", 1)]);
        let sealed = r.seal(b"+32470123456", b"signal-a").unwrap();
        assert_eq!(&r.open(&sealed, b"signal-a").unwrap()[..], b"+32470123456");
        assert!(!sealed.ciphertext.windows(12).any(|w| w == b"+32470123456"));
        assert_eq!(r.open(&sealed, b"signal-b").unwrap_err(), CryptoError::Decrypt);
        assert_eq!(ring(&[("k1", 2)]).open(&sealed, b"signal-a").unwrap_err(), CryptoError::Decrypt);
        assert!(matches!(ring(&[("k9", 1)]).open(&sealed, b"signal-a"), Err(CryptoError::UnknownKey(_))));
    }

    #[test]
    fn rotation_seals_with_the_newest_and_opens_the_old() {
        let old = ring(&[("k1", 1)]);
        let sealed_old = old.seal(b"old", b"s").unwrap();
        let rotated = ring(&[("k2", 2), ("k1", 1)]);
        let sealed_new = rotated.seal(b"new", b"s").unwrap();
        assert_eq!(sealed_new.key_id, "k2");
        assert_eq!(&rotated.open(&sealed_old, b"s").unwrap()[..], b"old");
        assert_eq!(&rotated.open(&sealed_new, b"s").unwrap()[..], b"new");
        // Once k1 is retired, what it wrapped is gone for good.
        assert!(ring(&[("k2", 2)]).open(&sealed_old, b"s").is_err());
    }

    #[test]
    fn keys_must_be_32_bytes() {
        assert!(MasterKeyRing::new(vec![("k".into(), vec![0; 16])]).is_err());
        assert!(MasterKeyRing::new(vec![]).is_err());
    }
}
