//! Password hashing with Argon2id (OWASP: m=19456 KiB, t=2, p=1). Hashing runs on
//! the blocking pool behind a semaphore, so a flood of logins can neither stall the
//! async executor nor take every core from signal intake.

use std::sync::Arc;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use tokio::sync::Semaphore;

use crate::http::error::AppError;

/// Computes and verifies password hashes with bounded concurrency.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// A real hash of a random password: verifying unknown accounts against it makes
    /// a login for a missing e-mail take as long as one for an existing e-mail.
    dummy_hash: Arc<String>,
}

fn argon2() -> Argon2<'static> {
    // Params::new only fails on out-of-range values; these are fixed and valid.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

impl PasswordHasher {
    /// Builds the hasher; computes the dummy hash once (start-up code).
    pub fn new(concurrency: usize) -> Result<Self, AppError> {
        let dummy = hash_blocking(&generate_password())?;
        Ok(Self { permits: Arc::new(Semaphore::new(concurrency)), dummy_hash: Arc::new(dummy) })
    }

    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let _permit = self.permits.acquire().await.map_err(|_| AppError::Unavailable)?;
        tokio::task::spawn_blocking(f).await.map_err(|e| AppError::internal(format!("hash task: {e}")))
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.blocking(move || hash_blocking(&password)).await?
    }

    /// Verifies `password` against `hash`, or against the dummy hash when there is
    /// no account (and then always answers false).
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy_hash.as_ref().clone());
        let ok = self.blocking(move || verify_blocking(&password, &hash)).await?;
        Ok(ok && known)
    }
}

/// A random password for new accounts: 20 characters from an unambiguous alphabet.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_only_the_right_password_and_uses_owasp_params() {
        let hasher = PasswordHasher::new(1).unwrap();
        let hash = hasher.hash("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(hasher.verify("correct horse battery".into(), Some(hash.clone())).await.unwrap());
        assert!(!hasher.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}
