//! Password hashing with Argon2id (OWASP: m=19456 KiB, t=2, p=1). Hashing runs on
//! its own few threads, never on the async executor or the blocking pool that diesel
//! uses, so a flood of logins can neither stall requests nor take every core from
//! signal intake:
//! - exactly `hash_concurrency` threads hash, so at most that many 19 MiB work areas
//!   exist, each allocated once per thread and reused. (Allocated per hash on the
//!   shared blocking pool, the allocator kept them: about 1.2 GB after 200 sign-ins.)
//! - the threads run at a lower scheduling priority (nice 10), so under CPU pressure
//!   intake and other requests go first and logins slow down, not the reverse.

use std::cell::RefCell;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::Rng;

use crate::http::error::AppError;

/// Work for a hashing thread.
type Job = Box<dyn FnOnce() + Send>;

/// Nice value of the hashing threads (0 is normal, 19 the lowest priority).
const HASH_THREAD_NICE: i32 = 10;

/// Computes and verifies password hashes on `concurrency` dedicated threads; the
/// threads stop when the last clone is dropped.
#[derive(Clone)]
pub struct PasswordHasher {
    jobs: Sender<Job>,
    /// A real hash of a random password: verifying unknown accounts against it makes
    /// a login for a missing e-mail take as long as one for an existing e-mail.
    dummy_hash: Arc<String>,
}

fn params() -> Params {
    // Params::new only fails on out-of-range values; these are fixed and valid.
    Params::new(19_456, 2, 1, None).unwrap_or_default()
}

thread_local! {
    /// The hashing thread's Argon2 work area, allocated once and reused: a fresh
    /// 19 MiB allocation per hash is what the allocator failed to give back.
    static WORK_AREA: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs one Argon2 computation in this thread's work area, wiped afterwards.
fn argon2_into(argon2: &Argon2<'_>, params: &Params, password: &[u8], salt: &[u8], out: &mut [u8]) -> bool {
    WORK_AREA.with_borrow_mut(|area| {
        let blocks = params.block_count();
        if area.len() < blocks {
            area.resize(blocks, Block::default());
        }
        let ok = argon2.hash_password_into_with_memory(password, salt, out, &mut area[..blocks]).is_ok();
        area[..blocks].fill(Block::default());
        ok
    })
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let failed = |e: &dyn std::fmt::Display| AppError::internal(format!("password hashing failed: {e}"));
    let params = params();
    let mut salt = [0u8; 16];
    rand::rng().fill(&mut salt);
    let mut out = [0u8; 32];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    if !argon2_into(&argon2, &params, password.as_bytes(), &salt, &mut out) {
        return Err(failed(&"argon2"));
    }
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Verifies against the algorithm, version and parameters stored in the hash.
fn verify_blocking(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm.as_str()), Params::try_from(&parsed))
    else {
        return false;
    };
    let Ok(version) = parsed.version.map(Version::try_from).transpose() else { return false };
    let argon2 = Argon2::new(algorithm, version.unwrap_or_default(), params.clone());
    let mut out = vec![0u8; expected.len()];
    // `Output` compares in constant time.
    argon2_into(&argon2, &params, password.as_bytes(), salt, &mut out)
        && Output::new(&out).is_ok_and(|o| &o == expected)
}

fn hashing_thread(jobs: Arc<Mutex<Receiver<Job>>>) {
    if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), HASH_THREAD_NICE) {
        tracing::warn!(error = %e, "could not lower the priority of a password-hashing thread");
    }
    loop {
        // The lock is held only while waiting for the next job, not while hashing.
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match next {
            Ok(job) => job(),
            Err(_) => return, // every sender is gone: the hasher was dropped
        }
    }
}

impl PasswordHasher {
    /// Builds the hasher and its threads; computes the dummy hash once (start-up code).
    pub fn new(concurrency: usize) -> Result<Self, AppError> {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..concurrency.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || hashing_thread(queue))
                .map_err(|e| AppError::internal(format!("starting a hashing thread: {e}")))?;
        }
        // On a short-lived thread: its work area is freed when it ends, so an idle
        // server holds none.
        let dummy = std::thread::spawn(|| hash_blocking(&generate_password()))
            .join()
            .map_err(|_| AppError::internal("computing the dummy hash failed"))??;
        Ok(Self { jobs, dummy_hash: Arc::new(dummy) })
    }

    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .map_err(|_| AppError::Unavailable)?;
        rx.await.map_err(|_| AppError::internal("a password-hashing thread stopped"))
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

    #[tokio::test]
    async fn hashing_runs_on_the_dedicated_low_priority_threads() {
        let hasher = PasswordHasher::new(2).unwrap();
        let (name, nice) = hasher
            .blocking(|| {
                let name = std::thread::current().name().map(String::from);
                (name, rustix::process::getpriority_process(Some(rustix::thread::gettid())).ok())
            })
            .await
            .unwrap();
        assert!(name.is_some_and(|n| n.starts_with("argon2-")));
        assert_eq!(nice, Some(HASH_THREAD_NICE));
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}
