//! Cryptography: envelope encryption of stored secrets (here), Argon2id password
//! hashing (`password`), signed access tokens (`tokens`) and the key file (`keys`).
//!
//! Envelope encryption. Each sealed value (a signal's contact, a TOTP secret, a
//! webhook signing secret, the idempotency fingerprint key) is encrypted with its
//! own random data key (XChaCha20-Poly1305); the data key is stored wrapped by a
//! *purpose key* named by the master key id. A purpose key is derived from a master
//! key with HKDF-SHA256 (`info = "saferelay/<purpose>/v1"`), so no key serves two
//! purposes: a data key wrapped for a contact cannot be unwrapped as a TOTP secret.
//! Deleting the wrapped key destroys the value for good, including in backups, once
//! the master key that wrapped it is retired (rotation: `saferelay rotate-keys`
//! re-wraps every live data key under the newest master key).
//!
//! Stored format of a wrapped data key: `0x02 ‖ nonce ‖ ciphertext` (73 bytes) under
//! a purpose key. Values sealed before purpose keys existed (contacts and TOTP
//! secrets) hold `nonce ‖ ciphertext` (72 bytes) wrapped by the master key itself;
//! they stay readable, and `rotate-keys` moves them to the purpose-key format.

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
const TAG_LEN: usize = 16;
/// First byte of a data key wrapped by a purpose key.
const PURPOSE_FORMAT: u8 = 2;
/// Length of a data key wrapped directly by a master key (the format before purpose keys).
pub const LEGACY_WRAPPED_LEN: usize = NONCE_LEN + KEY_LEN + TAG_LEN;

/// What a key is for. Each purpose has its own key derived from every master key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// A signal's contact (context: the signal id).
    Contact,
    /// An account's TOTP secret (context: `totp/<user id>`).
    Totp,
    /// A helpline's webhook signing secret (context: the helpline id).
    WebhookSecret,
    /// The key of the idempotency request fingerprints (context: `fingerprint/idempotency`).
    IdempotencyFingerprint,
    /// The server's Web Push (VAPID) signing key (context: `push/vapid`).
    PushKey,
}

impl Purpose {
    pub const ALL: [Purpose; 5] =
        [Purpose::Contact, Purpose::Totp, Purpose::WebhookSecret, Purpose::IdempotencyFingerprint, Purpose::PushKey];

    /// The name used in reports, metrics and the HKDF `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Contact => "contact",
            Purpose::Totp => "totp",
            Purpose::WebhookSecret => "webhook_secret",
            Purpose::IdempotencyFingerprint => "idempotency_fingerprint",
            Purpose::PushKey => "push_key",
        }
    }

    /// Whether values of this purpose were sealed before purpose keys existed (and
    /// may still be wrapped by a master key directly).
    fn has_legacy_format(self) -> bool {
        matches!(self, Purpose::Contact | Purpose::Totp)
    }
}

/// A sealed value as stored: which master key's purpose key wrapped the data key,
/// the wrapped data key, and the ciphertext (each prefixed with its nonce). No
/// `Debug`: nothing of it belongs in a log.
#[derive(Clone)]
pub struct Sealed {
    pub key_id: String,
    pub wrapped_key: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

/// A wrapped data key alone: what key rotation reads and rewrites (the ciphertext
/// does not change when its data key is re-wrapped).
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKey {
    pub key_id: String,
    pub wrapped_key: Vec<u8>,
}

/// True when `wrapped_key` is in the format before purpose keys (wrapped by a
/// master key directly).
pub fn is_legacy_format(wrapped_key: &[u8]) -> bool {
    wrapped_key.len() == LEGACY_WRAPPED_LEN
}

/// How many stored values one master key wraps (for one purpose), and how many of
/// them are still in the format before purpose keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUsage {
    pub key_id: String,
    pub rows: i64,
    pub legacy: i64,
}

impl KeyUsage {
    /// Joins counts per key id (`all`) with the legacy-format counts per key id.
    pub fn merge(all: Vec<(String, i64)>, legacy: Vec<(String, i64)>) -> Vec<KeyUsage> {
        all.into_iter()
            .map(|(key_id, rows)| {
                let legacy = legacy.iter().find(|(k, _)| *k == key_id).map_or(0, |(_, n)| *n);
                KeyUsage { key_id, rows, legacy }
            })
            .collect()
    }
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

impl From<CryptoError> for crate::http::error::AppError {
    fn from(e: CryptoError) -> Self {
        crate::http::error::AppError::internal(format!("crypto: {e}"))
    }
}

struct MasterKey {
    master: Zeroizing<[u8; KEY_LEN]>,
    purposes: HashMap<Purpose, Zeroizing<[u8; KEY_LEN]>>,
}

/// The configured master keys; the first one wraps new data keys.
pub struct MasterKeyRing {
    current: String,
    order: Vec<String>,
    keys: HashMap<String, MasterKey>,
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rng().fill_bytes(&mut b);
    b
}

/// HKDF-SHA256 of a master key for one purpose.
fn derive(master: &[u8; KEY_LEN], purpose: Purpose) -> Result<Zeroizing<[u8; KEY_LEN]>, String> {
    let info = format!("saferelay/{}/v1", purpose.as_str());
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    hkdf::Hkdf::<sha2::Sha256>::new(None, master)
        .expand(info.as_bytes(), &mut out[..])
        .map_err(|_| "HKDF output length".to_string())?;
    Ok(out)
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
        let mut order = Vec::new();
        for (kid, secret) in keys {
            let master: [u8; KEY_LEN] =
                secret.as_slice().try_into().map_err(|_| format!("master key {kid} must be exactly 32 bytes"))?;
            let master = Zeroizing::new(master);
            let purposes =
                Purpose::ALL.iter().map(|p| Ok((*p, derive(&master, *p)?))).collect::<Result<_, String>>()?;
            if map.insert(kid.clone(), MasterKey { master, purposes }).is_some() {
                return Err(format!("master key id {kid} is listed twice"));
            }
            order.push(kid);
        }
        Ok(Self { current, order, keys: map })
    }

    /// The id of the master key that wraps new data keys.
    pub fn current_key_id(&self) -> &str {
        &self.current
    }

    /// Every configured key id, newest first.
    pub fn key_ids(&self) -> &[String] {
        &self.order
    }

    fn master(&self, kid: &str) -> Result<&MasterKey, CryptoError> {
        self.keys.get(kid).ok_or_else(|| CryptoError::UnknownKey(kid.to_string()))
    }

    fn purpose_key(&self, kid: &str, purpose: Purpose) -> Result<&[u8; KEY_LEN], CryptoError> {
        self.master(kid)?.purposes.get(&purpose).map(|k| &**k).ok_or(CryptoError::Encrypt)
    }

    /// Seals `plaintext` under a fresh data key wrapped by the current master key's
    /// key for `purpose`; `context` (e.g. the signal id) is bound to both layers so
    /// a ciphertext cannot be moved to another row.
    pub fn seal(&self, purpose: Purpose, plaintext: &[u8], context: &[u8]) -> Result<Sealed, CryptoError> {
        let data_key = Zeroizing::new(random::<KEY_LEN>());
        let ciphertext = seal_with(&data_key, plaintext, context)?;
        let WrappedKey { key_id, wrapped_key } = self.wrap(purpose, &data_key, context)?;
        Ok(Sealed { key_id, wrapped_key, ciphertext })
    }

    pub fn open(&self, purpose: Purpose, sealed: &Sealed, context: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let wrapped = WrappedKey { key_id: sealed.key_id.clone(), wrapped_key: sealed.wrapped_key.clone() };
        let data_key = self.unwrap(purpose, &wrapped, context)?;
        open_with(&data_key, &sealed.ciphertext, context)
    }

    /// Whether a wrapped data key is already wrapped by the current key's purpose key.
    pub fn is_current(&self, wrapped: &WrappedKey) -> bool {
        wrapped.key_id == self.current && !is_legacy_format(&wrapped.wrapped_key)
    }

    /// Re-wraps a data key under the current master key (its purpose key); `None`
    /// when it already is. The data key, and so the ciphertext, stay the same.
    pub fn rewrap(
        &self,
        purpose: Purpose,
        wrapped: &WrappedKey,
        context: &[u8],
    ) -> Result<Option<WrappedKey>, CryptoError> {
        if self.is_current(wrapped) {
            return Ok(None);
        }
        let data_key = self.unwrap(purpose, wrapped, context)?;
        self.wrap(purpose, &data_key, context).map(Some)
    }

    fn wrap(&self, purpose: Purpose, data_key: &[u8; KEY_LEN], context: &[u8]) -> Result<WrappedKey, CryptoError> {
        let key = self.purpose_key(&self.current, purpose)?;
        let mut wrapped_key = vec![PURPOSE_FORMAT];
        wrapped_key.extend(seal_with(key, &data_key[..], &wrap_aad(purpose, &self.current, context))?);
        Ok(WrappedKey { key_id: self.current.clone(), wrapped_key })
    }

    fn unwrap(
        &self,
        purpose: Purpose,
        wrapped: &WrappedKey,
        context: &[u8],
    ) -> Result<Zeroizing<[u8; KEY_LEN]>, CryptoError> {
        let kid = &wrapped.key_id;
        let data_key = match wrapped.wrapped_key.split_first() {
            Some((&PURPOSE_FORMAT, rest)) if rest.len() == LEGACY_WRAPPED_LEN => {
                open_with(self.purpose_key(kid, purpose)?, rest, &wrap_aad(purpose, kid, context))?
            }
            _ if purpose.has_legacy_format() && is_legacy_format(&wrapped.wrapped_key) => {
                open_with(&self.master(kid)?.master, &wrapped.wrapped_key, &legacy_wrap_aad(kid, context))?
            }
            _ => return Err(CryptoError::Decrypt),
        };
        let key: [u8; KEY_LEN] = data_key.as_slice().try_into().map_err(|_| CryptoError::Decrypt)?;
        Ok(Zeroizing::new(key))
    }

    /// The idempotency fingerprint key as it was before purpose keys (derived from a
    /// master key with HMAC), to recognise the fingerprints of requests filed before
    /// the upgrade while they live (24 hours).
    pub fn legacy_fingerprint_keys(&self) -> Vec<Zeroizing<Vec<u8>>> {
        use hmac::{Hmac, Mac};
        self.order
            .iter()
            .filter_map(|kid| {
                let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.keys.get(kid)?.master[..]).ok()?;
                mac.update(b"saferelay/idempotency-fingerprint/v1");
                Some(Zeroizing::new(mac.finalize().into_bytes().to_vec()))
            })
            .collect()
    }
}

/// A random secret of 32 bytes (a data key to seal, e.g. the fingerprint key).
pub fn random_key() -> Zeroizing<[u8; KEY_LEN]> {
    Zeroizing::new(random::<KEY_LEN>())
}

fn wrap_aad(purpose: Purpose, kid: &str, context: &[u8]) -> Vec<u8> {
    let mut aad = format!("saferelay/data-key/v2/{}/{kid}/", purpose.as_str()).into_bytes();
    aad.extend_from_slice(context);
    aad
}

fn legacy_wrap_aad(kid: &str, context: &[u8]) -> Vec<u8> {
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

    /// A value sealed the way every version before purpose keys did: the data key
    /// wrapped by the master key itself.
    fn legacy_seal(master: &[u8; 32], kid: &str, plaintext: &[u8], context: &[u8]) -> Sealed {
        let data_key = random::<KEY_LEN>();
        Sealed {
            key_id: kid.into(),
            wrapped_key: seal_with(master, &data_key, &legacy_wrap_aad(kid, context)).unwrap(),
            ciphertext: seal_with(&data_key, plaintext, context).unwrap(),
        }
    }

    #[test]
    fn sealed_values_open_only_with_their_context_and_key() {
        let r = ring(&[("k1", 1)]);
        let sealed = r.seal(Purpose::Contact, b"+32470123456", b"signal-a").unwrap();
        assert_eq!(&r.open(Purpose::Contact, &sealed, b"signal-a").unwrap()[..], b"+32470123456");
        assert!(!sealed.ciphertext.windows(12).any(|w| w == b"+32470123456"));
        assert_eq!(r.open(Purpose::Contact, &sealed, b"signal-b").unwrap_err(), CryptoError::Decrypt);
        assert_eq!(ring(&[("k1", 2)]).open(Purpose::Contact, &sealed, b"signal-a").unwrap_err(), CryptoError::Decrypt);
        assert!(matches!(
            ring(&[("k9", 1)]).open(Purpose::Contact, &sealed, b"signal-a"),
            Err(CryptoError::UnknownKey(_))
        ));
    }

    #[test]
    fn each_purpose_has_its_own_key() {
        let r = ring(&[("k1", 1)]);
        for sealer in Purpose::ALL {
            let sealed = r.seal(sealer, b"secret", b"ctx").unwrap();
            assert_eq!(sealed.wrapped_key.len(), 1 + LEGACY_WRAPPED_LEN);
            for opener in Purpose::ALL {
                let opened = r.open(opener, &sealed, b"ctx");
                if opener == sealer {
                    assert_eq!(&opened.unwrap()[..], b"secret");
                } else {
                    assert_eq!(opened.unwrap_err(), CryptoError::Decrypt, "{sealer:?} opened as {opener:?}");
                }
            }
        }
        // The derived keys differ from each other and from the master key.
        let k = r.keys.get("k1").unwrap();
        let mut all: Vec<&[u8; 32]> = k.purposes.values().map(|v| &**v).collect();
        all.push(&k.master);
        for (i, a) in all.iter().enumerate() {
            assert!(all[i + 1..].iter().all(|b| a != b));
        }
        // A purpose key is not the master key: the old (master-wrapped) reading of a
        // purpose-wrapped key fails.
        let sealed = r.seal(Purpose::Contact, b"x", b"c").unwrap();
        assert!(open_with(&k.master, &sealed.wrapped_key[1..], &legacy_wrap_aad("k1", b"c")).is_err());
    }

    #[test]
    fn values_sealed_before_purpose_keys_still_open_and_rewrap_to_the_new_format() {
        let r = ring(&[("k2", 2), ("k1", 1)]);
        let old = legacy_seal(&[1; 32], "k1", b"old contact", b"s");
        assert!(is_legacy_format(&old.wrapped_key));
        assert_eq!(&r.open(Purpose::Contact, &old, b"s").unwrap()[..], b"old contact");
        assert_eq!(&r.open(Purpose::Totp, &old, b"s").unwrap()[..], b"old contact", "the legacy format had no purpose");
        // A webhook secret never had the legacy format: refused.
        assert_eq!(r.open(Purpose::WebhookSecret, &old, b"s").unwrap_err(), CryptoError::Decrypt);
        let wrapped = WrappedKey { key_id: old.key_id.clone(), wrapped_key: old.wrapped_key.clone() };
        let new = r.rewrap(Purpose::Contact, &wrapped, b"s").unwrap().unwrap();
        assert_eq!(new.key_id, "k2");
        assert!(r.is_current(&new));
        let moved = Sealed { key_id: new.key_id, wrapped_key: new.wrapped_key, ciphertext: old.ciphertext };
        // Once k1 is dropped, the re-wrapped value still opens; for its own purpose only.
        let dropped = ring(&[("k2", 2)]);
        assert_eq!(&dropped.open(Purpose::Contact, &moved, b"s").unwrap()[..], b"old contact");
        assert!(dropped.open(Purpose::Totp, &moved, b"s").is_err());
        // A legacy value under the current key is re-wrapped too (to the purpose key).
        let current_legacy = legacy_seal(&[2; 32], "k2", b"v", b"t");
        let w = WrappedKey { key_id: "k2".into(), wrapped_key: current_legacy.wrapped_key };
        assert!(!r.is_current(&w));
        assert!(r.rewrap(Purpose::Totp, &w, b"t").unwrap().is_some());
    }

    #[test]
    fn rotation_seals_with_the_newest_and_opens_the_old() {
        let old = ring(&[("k1", 1)]);
        let sealed_old = old.seal(Purpose::Totp, b"old", b"s").unwrap();
        let rotated = ring(&[("k2", 2), ("k1", 1)]);
        let sealed_new = rotated.seal(Purpose::Totp, b"new", b"s").unwrap();
        assert_eq!(sealed_new.key_id, "k2");
        assert_eq!(&rotated.open(Purpose::Totp, &sealed_old, b"s").unwrap()[..], b"old");
        assert_eq!(&rotated.open(Purpose::Totp, &sealed_new, b"s").unwrap()[..], b"new");
        let w = WrappedKey { key_id: sealed_new.key_id.clone(), wrapped_key: sealed_new.wrapped_key.clone() };
        assert!(rotated.rewrap(Purpose::Totp, &w, b"s").unwrap().is_none(), "already current");
        // Once k1 is retired, what it wrapped (and was not re-wrapped) is gone for good.
        assert!(ring(&[("k2", 2)]).open(Purpose::Totp, &sealed_old, b"s").is_err());
    }

    #[test]
    fn keys_must_be_32_bytes_and_distinct() {
        assert!(MasterKeyRing::new(vec![("k".into(), vec![0; 16])]).is_err());
        assert!(MasterKeyRing::new(vec![]).is_err());
        assert!(MasterKeyRing::new(vec![("k".into(), vec![0; 32]), ("k".into(), vec![1; 32])]).is_err());
    }
}
