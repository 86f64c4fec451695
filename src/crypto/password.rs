//! Password hashing with Argon2id (OWASP: m=19456 KiB, t=2, p=1). Hashing runs on a
//! fixed set of dedicated threads fed by a bounded queue: a flood of logins can
//! neither stall the async executor, nor take every core from signal intake, nor
//! grow memory (each hash needs 19 MiB, which the allocator keeps per thread, so a
//! fixed set of threads keeps the total fixed). When the queue is full, the answer is
//! 503 at once instead of an ever longer wait. The hashing threads run at the lowest
//! scheduling class (`SCHED_IDLE` on Linux): they take only CPU time that signal
//! intake and the rest of the server leave unused, so a password-guessing wave slows
//! sign-ins, not signals.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use std::cell::RefCell;

use argon2::password_hash::PasswordVerifier as _;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::Rng;

use crate::http::error::AppError;

type Job = Box<dyn FnOnce() + Send>;

/// Hash jobs that may wait per hashing thread before new ones get 503.
const QUEUE_PER_THREAD: usize = 16;

/// Computes and verifies password hashes with bounded concurrency.
#[derive(Clone)]
pub struct PasswordHasher {
    jobs: SyncSender<Job>,
    /// Jobs queued or running.
    in_flight: Arc<AtomicUsize>,
    /// The most jobs in flight: the queue full and every thread busy.
    capacity: usize,
    /// When "queue full" was last logged (seconds since the epoch): once a second
    /// at most, not once per refused guess.
    last_full_warning: Arc<AtomicU64>,
    /// Counts the Argon2 computations queued (the `password_hashes_total` metric).
    counter: Option<prometheus::IntCounter>,
}

/// Counts a job in flight for as long as it lives (queued, running, or refused).
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Verified against when the e-mail has no account, so that a login for a missing
/// e-mail takes as long as one for an existing e-mail. A real hash, with this
/// module's parameters, of a random password nobody kept; even that password would
/// not sign in (`verify` answers false without an account). A constant rather than
/// computed at start: start-up stays fast and allocates no Argon2 memory.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$yfAlLjk2XJPSLsLvPyiJRg$9UHscmLBf5fU6v87elxSuAhYLBbphYZoH76AipouYRg";

/// Argon2id, m=19456 KiB, t=2, p=1, 32-byte output.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const OUTPUT_LEN: usize = 32;

fn params() -> Params {
    // Params::new only fails on out-of-range values; these are fixed and valid.
    Params::new(MEMORY_KIB, ITERATIONS, 1, Some(OUTPUT_LEN)).unwrap_or_default()
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

thread_local! {
    /// A hashing thread's Argon2 memory (19 MiB), allocated on its first hash and
    /// reused for every later one: freed and reallocated per hash, the allocator
    /// would keep several such areas per thread.
    static WORK_AREA: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Computes the raw Argon2id output of `password` with `salt` in this thread's
/// reused work area.
fn raw_hash(password: &[u8], salt: &[u8]) -> Result<[u8; OUTPUT_LEN], argon2::Error> {
    let mut out = [0u8; OUTPUT_LEN];
    WORK_AREA.with_borrow_mut(|blocks| {
        let len = params().block_count();
        if blocks.len() != len {
            *blocks = vec![Block::new(); len];
        }
        argon2().hash_password_into_with_memory(password, salt, &mut out, blocks.as_mut_slice())
    })?;
    Ok(out)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for `password`.
fn hash_blocking(password: &str) -> Result<String, AppError> {
    let fail = |e: &dyn std::fmt::Display| AppError::internal(format!("password hashing failed: {e}"));
    let salt = Salt::generate();
    let out = raw_hash(password.as_bytes(), salt.as_ref()).map_err(|e| fail(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params()).map_err(|e| fail(&e))?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(|e| fail(&e))?),
    };
    Ok(phc.to_string())
}

/// Checks `password` against a PHC string. Hashes made with this module's
/// parameters are recomputed in the reused work area; any other (older
/// parameters) through the crate's own verifier.
fn verify_blocking(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let ours = parsed.algorithm == Algorithm::Argon2id.ident()
        && parsed.version == Some(Version::V0x13.into())
        && Params::try_from(&parsed).is_ok_and(|p| p == params());
    match (&parsed.salt, &parsed.hash) {
        (Some(salt), Some(expected)) if ours => raw_hash(password.as_bytes(), salt.as_ref())
            .ok()
            .and_then(|out| Output::new(&out).ok())
            // Output's equality is constant-time.
            .is_some_and(|computed| &computed == expected),
        _ => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
    }
}

impl PasswordHasher {
    /// Builds the hasher and starts its threads, which end when the last clone of
    /// the hasher is dropped.
    pub fn new(concurrency: usize) -> Result<Self, AppError> {
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
        Ok(Self {
            jobs,
            in_flight: Arc::new(AtomicUsize::new(0)),
            capacity: threads * (QUEUE_PER_THREAD + 1),
            last_full_warning: Arc::new(AtomicU64::new(0)),
            counter: None,
        })
    }

    /// Counts every hash and verification queued on `counter` from now on.
    #[must_use]
    pub fn counting(mut self, counter: prometheus::IntCounter) -> Self {
        self.counter = Some(counter);
        self
    }

    /// 503 at once when a new hash could not be queued: a sign-in checks this
    /// before any other work, so a guessing wave that outruns the hashing threads
    /// costs the database nothing for the guesses turned away.
    pub fn refuse_if_full(&self) -> Result<(), AppError> {
        if self.in_flight.load(Ordering::Relaxed) >= self.capacity {
            self.warn_full();
            return Err(AppError::Unavailable);
        }
        Ok(())
    }

    fn warn_full(&self) {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if self.last_full_warning.swap(now, Ordering::Relaxed) != now {
            tracing::warn!("password hashing queue full; answering 503");
        }
    }

    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        let counted = InFlight(self.in_flight.clone());
        let job: Job = Box::new(move || {
            let _counted = counted;
            // A caller that has gone (client disconnected, request timed out) no
            // longer waits: its hash is not worth computing.
            if !tx.is_closed() {
                let _ = tx.send(f());
            }
        });
        match self.jobs.try_send(job) {
            Ok(()) => {
                if let Some(c) = &self.counter {
                    c.inc();
                }
            }
            Err(TrySendError::Full(_)) => {
                self.warn_full();
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
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_string());
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
/// platform has no such class the thread keeps its priority (and says so).
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
    use argon2::password_hash::PasswordHasher as _;

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

    #[test]
    fn hashes_interoperate_with_the_crates_own_hasher_and_verifier() {
        let ours = hash_blocking("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(argon2().verify_password(b"correct horse battery", &parsed).is_ok());
        assert!(argon2().verify_password(b"wrong", &parsed).is_err());

        let theirs = argon2().hash_password(b"correct horse battery").unwrap().to_string();
        assert!(verify_blocking("correct horse battery", &theirs));
        assert!(!verify_blocking("wrong", &theirs));

        // Other parameters (as an older hash might have) go through the fallback.
        let weaker = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8_192, 1, 1, None).unwrap());
        let old = weaker.hash_password(b"correct horse battery").unwrap().to_string();
        assert!(verify_blocking("correct horse battery", &old));
        assert!(!verify_blocking("wrong", &old));
        assert!(!verify_blocking("correct horse battery", "not a hash"));
    }

    /// The dummy hash costs what a real one does: same algorithm and parameters,
    /// so it takes the reused-work-area path like every account's hash.
    #[test]
    fn the_dummy_hash_has_the_current_parameters() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let real = hash_blocking("any password at all").unwrap();
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(Params::try_from(&dummy).unwrap(), params());
        assert_eq!(dummy.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
        assert!(!verify_blocking("any password at all", DUMMY_HASH));
    }

    #[test]
    fn a_thread_reuses_its_work_area() {
        std::thread::spawn(|| {
            hash_blocking("first password").unwrap();
            let first = WORK_AREA.with_borrow(|b| (b.as_ptr() as usize, b.len()));
            assert!(verify_blocking("first password", &hash_blocking("first password").unwrap()));
            let second = WORK_AREA.with_borrow(|b| (b.as_ptr() as usize, b.len()));
            assert_eq!(first, second, "same memory for every hash");
            assert_eq!(first.1 * std::mem::size_of::<Block>(), 19_456 * 1024);
        })
        .join()
        .unwrap();
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

    #[tokio::test]
    async fn a_full_hasher_refuses_up_front_and_accepts_again_once_drained() {
        let hasher = PasswordHasher::new(1).unwrap();
        assert!(hasher.refuse_if_full().is_ok());
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let busy = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.blocking(move || gate.recv().is_ok()).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let queued: Vec<_> = (0..QUEUE_PER_THREAD)
            .map(|_| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.blocking(|| true).await })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(matches!(hasher.refuse_if_full(), Err(AppError::Unavailable)), "thread busy, queue full");
        release.send(()).unwrap();
        assert!(busy.await.unwrap().unwrap());
        for q in queued {
            assert!(q.await.unwrap().unwrap());
        }
        assert!(hasher.refuse_if_full().is_ok(), "drained: accepting again");
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
    }
}
