//! Access tokens (short-lived HS256 JWTs, algorithm pinned on decode, key chosen by
//! `kid`) and refresh tokens (opaque random strings, stored only as SHA-256 hashes).

use crate::domain::Role;
use crate::domain::UserId;
use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::keys::SigningKey;

/// Claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub role: String,
    pub iat: i64,
    pub exp: i64,
    /// The account's token version when issued: logout, a password change or a
    /// second-factor change bump it, and older tokens stop working at once.
    #[serde(default)]
    pub ver: i64,
}

/// What a verified access token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub user: UserId,
    pub role: Role,
    pub version: i64,
}

/// Issues and verifies access tokens.
pub struct TokenKeys {
    signing_kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
    issuer: String,
    audience: String,
    ttl_secs: i64,
}

/// Why a token was refused (the client only ever hears "invalid or expired").
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Invalid,
}

impl TokenKeys {
    pub fn new(keys: &[SigningKey], issuer: &str, audience: &str, ttl_secs: u64) -> Result<Self, String> {
        let first = keys.first().ok_or("no signing key")?;
        let mut decoding = HashMap::new();
        for k in keys {
            decoding.insert(k.kid.clone(), DecodingKey::from_secret(&k.secret_bytes()?));
        }
        Ok(Self {
            signing_kid: first.kid.clone(),
            encoding: EncodingKey::from_secret(&first.secret_bytes()?),
            decoding,
            issuer: issuer.into(),
            audience: audience.into(),
            ttl_secs: i64::try_from(ttl_secs).map_err(|_| "ttl too large")?,
        })
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    /// Signs an access token for `user` (at the account's token `version`) valid
    /// from now for the configured lifetime.
    pub fn issue(
        &self,
        user: UserId,
        role: Role,
        version: i64,
        now: i64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.signing_kid.clone());
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user.to_string(),
            role: role.as_str().into(),
            iat: now,
            exp: now + self.ttl_secs,
            ver: version,
        };
        jsonwebtoken::encode(&header, &claims, &self.encoding)
    }

    /// Verifies signature, algorithm (HS256 only), `kid`, `iss`, `aud` and `exp`.
    pub fn verify(&self, token: &str) -> Result<Verified, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::HS256 {
            return Err(TokenError::Invalid);
        }
        let key = header.kid.as_ref().and_then(|kid| self.decoding.get(kid)).ok_or(TokenError::Invalid)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub", "iat"]);
        validation.leeway = 0;
        let data = jsonwebtoken::decode::<Claims>(token, key, &validation).map_err(|_| TokenError::Invalid)?;
        let user = UserId::parse(&data.claims.sub).ok_or(TokenError::Invalid)?;
        let role = data.claims.role.parse::<Role>().map_err(|_| TokenError::Invalid)?;
        Ok(Verified { user, role, version: data.claims.ver })
    }
}

/// A new opaque refresh token: 32 random bytes, URL-safe base64.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a refresh token: its SHA-256, hex. The token has 256 bits of
/// entropy, so a fast hash is enough (no salt or argon2 needed).
pub fn hash_refresh_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(kid: &str, byte: u8) -> TokenKeys {
        let secret = base64::engine::general_purpose::STANDARD.encode([byte; 32]);
        TokenKeys::new(&[SigningKey { kid: kid.into(), secret }], "saferelay", "saferelay-api", 900).unwrap()
    }

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let now = chrono::Utc::now().timestamp();
        let user = UserId::new();
        let token = keys("k1", 1).issue(user, Role::Admin, 3, now).unwrap();
        assert_eq!(keys("k1", 1).verify(&token), Ok(Verified { user, role: Role::Admin, version: 3 }));
        assert_eq!(keys("k1", 2).verify(&token), Err(TokenError::Invalid));
        assert_eq!(keys("k2", 1).verify(&token), Err(TokenError::Invalid));
    }

    #[test]
    fn expired_tokens_are_refused() {
        let k = keys("k1", 1);
        let token = k.issue(UserId::new(), Role::RelayStaff, 0, chrono::Utc::now().timestamp() - 1000).unwrap();
        assert_eq!(k.verify(&token), Err(TokenError::Invalid));
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let t = new_refresh_token();
        assert_ne!(t, new_refresh_token());
        assert_eq!(hash_refresh_token(&t).len(), 64);
        assert_ne!(hash_refresh_token(&t), t);
    }
}
