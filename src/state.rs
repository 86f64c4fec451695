//! The application state every handler and background job shares: settings, the
//! database, keys, the password hasher, metrics and the mailer. It sits below
//! the capabilities (they all take it), and `startup.rs` above them builds it.

use std::sync::Arc;

use crate::config::Settings;
use crate::crypto::MasterKeyRing;
use crate::crypto::password::PasswordHasher;
use crate::crypto::tokens::TokenKeys;
use crate::db::Db;
use crate::mail::Mailer;
use crate::metrics::Metrics;

/// What handlers share. Passed as `web::Data`, never held in a global.
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub tokens: TokenKeys,
    pub hasher: PasswordHasher,
    pub master_keys: Arc<MasterKeyRing>,
    /// The key of idempotency request fingerprints (random, stored sealed, stable
    /// across master-key rotations).
    pub fingerprint_key: Arc<zeroize::Zeroizing<[u8; 32]>>,
    /// The server's Web Push (VAPID) key pair (random, stored sealed).
    pub push_key: Arc<crate::push::service::PushKey>,
    pub metrics: Metrics,
    pub mailer: Mailer,
    /// The routing network and referral directory intake routes by, reloaded when
    /// their stamp in the database moves.
    pub network: Arc<crate::routing::cache::NetworkCache>,
    /// Each programme's relay-point training statuses of the day, derived again
    /// when their stamp in the database moves.
    pub training_statuses: Arc<crate::training::status::StatusCache>,
}
