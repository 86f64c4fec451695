//! Password hashing with Argon2id (OWASP: m=19456 KiB, t=2, p=1). Hashing runs on a
//! fixed set of dedicated threads fed by a bounded queue: a flood of logins can
//! neither stall the async executor, nor take every core from signal intake, nor
//! grow memory (each hash needs 19 MiB, which the allocator keeps per thread, so a
//! fixed set of threads keeps the total fixed). When the queue is full, the answer is
//! 503 at once instead of an ever longer wait. The hashing threads run at the lowest
//! scheduling class (`SCHED_IDLE` on Linux): they take only CPU time that signal
//! intake and the rest of the server leave unused, so a password-guessing wave slows
//! sign-ins, not signals.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

use crate::http::error::AppError;

type Job = Box<dyn FnOnce() + Send>;

/// Hash jobs that may wait per hashing thread before new ones get 503.
const QUEUE_PER_THREAD: usize = 16;

/// Computes and verifies password hashes with bounded concurrency.
#[derive(Clone)]
pub struct PasswordHasher {
    jobs: SyncSender<Job>,
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
    /// The threads end when the last clone of the hasher is dropped.
    pub fn new(concurrency: usize) -> Result<Self, AppError> {
        let dummy = hash_blocking(&generate_password())?;
        let threads = concurrency.max(1);
        let (jobs, queue) = sync_channel::<Job>(threads * QUEUE_PER_THREAD);
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || work(&queue))
                .map_err(|e| AppError::internal(format!("starting a hashing thread: {e}")))?;
        }
        Ok(Self { jobs, dummy_hash: Arc::new(dummy) })
    }

    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // A caller that has gone (client disconnected, request timed out) no
            // longer waits: its hash is not worth computing.
            if !tx.is_closed() {
                let _ = tx.send(f());
            }
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                tracing::warn!("password hashing queue full; answering 503");
                return Err(AppError::Unavailable);
            }
            Err(TrySendError::Disconnected(_)) => return Err(AppError::internal("hashing threads stopped")),
        }
        rx.await.map_err(|_| AppError::internal("hash job dropped"))
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

/// A hashing thread: lowers its own priority, then takes jobs until every sender
/// is gone.
fn work(queue: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        let job = match queue.lock() {
            Ok(rx) => rx.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// Puts the calling thread in the idle scheduling class, so that it runs only when
/// no other thread of the machine wants the CPU. Needs no privilege; where the
/// platform has no such class the thread keeps its priority (and says so once).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    let lowered = thread_priority::unix::set_thread_priority_and_policy(
        thread_priority::unix::thread_native_id(),
        thread_priority::ThreadPriority::Min,
        thread_priority::unix::ThreadSchedulePolicy::Normal(thread_priority::unix::NormalThreadSchedulePolicy::Idle),
    );
    #[cfg(not(target_os = "linux"))]
    let lowered = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
    if let Err(e) = lowered {
        tracing::warn!(error = ?e, "could not lower the priority of a password-hashing thread");
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
    async fn a_full_hashing_queue_answers_unavailable_at_once_and_the_rest_complete() {
        let hasher = PasswordHasher::new(1).unwrap();
        let n = QUEUE_PER_THREAD + 8;
        let jobs = (0..n).map(|_| hasher.hash("a password of some length".into()));
        let results = futures_util::future::join_all(jobs).await;
        let refused = results.iter().filter(|r| matches!(r, Err(AppError::Unavailable))).count();
        let done = results.iter().filter(|r| r.is_ok()).count();
        assert!(refused >= 1, "an over-full queue must refuse");
        assert_eq!(refused + done, n);
        assert!(done >= QUEUE_PER_THREAD, "queued jobs are all done: {done}");
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_run_in_the_idle_scheduling_class() {
        use thread_priority::unix::{NormalThreadSchedulePolicy, ThreadSchedulePolicy, thread_schedule_policy};
        let hasher = PasswordHasher::new(1).unwrap();
        let policy = hasher.blocking(thread_schedule_policy).await.unwrap().unwrap();
        assert_eq!(policy, ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle));
    }

    #[tokio::test]
    async fn a_job_whose_caller_has_gone_is_not_run() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let hasher = PasswordHasher::new(1).unwrap();
        let (release, gate) = std::sync::mpsc::channel::<()>();
        // Occupies the only hashing thread until released.
        let busy = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.blocking(move || gate.recv().is_ok()).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = ran.clone();
        let abandoned = hasher.blocking(move || counter.fetch_add(1, Ordering::SeqCst));
        // Queued behind the busy job, then given up (the client went away).
        assert!(tokio::time::timeout(std::time::Duration::from_millis(50), abandoned).await.is_err());
        release.send(()).unwrap();
        assert!(busy.await.unwrap().unwrap());
        // A later job runs, so the abandoned one had its turn before it.
        assert!(hasher.blocking(|| true).await.unwrap());
        assert_eq!(ran.load(Ordering::SeqCst), 0, "the abandoned job must not run");
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}
