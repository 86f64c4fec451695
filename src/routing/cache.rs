//! The routing network and the referral directory, kept in memory for intake.
//!
//! Every change to helplines (hours, holidays, channels), routing rules or the
//! referral directory bumps `network_version` in the same transaction
//! ([`bump`], called by the stores that write them). Intake reads that one row per
//! signal and loads the network again only when the stamp moved — so an admin's
//! change routes the very next signal, on every instance, while a signal costs
//! one primary-key read instead of the rules, helplines and directory.

use std::sync::{Arc, Mutex};

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::network_version;
use crate::http::error::AppError;
use crate::resources::model::Resource;

use super::model::{Helpline, RoutingRule};

/// One consistent picture of the network, as of `version`.
pub struct Network {
    pub version: i64,
    pub rules: Vec<RoutingRule>,
    pub helplines: Vec<Helpline>,
    /// The active referral directory, by kind and name.
    pub referrals: Vec<Resource>,
}

/// The last network loaded, shared by the server's workers.
#[derive(Default)]
pub struct NetworkCache {
    current: Mutex<Option<Arc<Network>>>,
}

impl NetworkCache {
    /// The network as the database holds it now: the kept one if its stamp is
    /// still current, else loaded again (and kept).
    pub fn current(&self, conn: &mut AnyConnection) -> Result<Arc<Network>, AppError> {
        let version = version(conn)?;
        self.at(conn, version)
    }

    /// The same, when the caller has just read the stamp (`version`) itself.
    pub fn at(&self, conn: &mut AnyConnection, version: i64) -> Result<Arc<Network>, AppError> {
        if let Some(kept) = self.kept().filter(|n| n.version == version) {
            return Ok(kept);
        }
        // Loaded after the stamp was read: a change committed in between is already
        // in what we load, and the stamp we keep is older, so the next signal
        // loads again — never the other way round.
        let (rules, helplines) = super::service::load_network(conn)?;
        let referrals = crate::resources::service::referrals(conn, None, None)?;
        let loaded = Arc::new(Network { version, rules, helplines, referrals });
        if let Ok(mut slot) = self.current.lock() {
            *slot = Some(loaded.clone());
        }
        Ok(loaded)
    }

    fn kept(&self) -> Option<Arc<Network>> {
        self.current.lock().ok().and_then(|slot| slot.clone())
    }
}

/// The network's stamp.
pub fn version(conn: &mut AnyConnection) -> QueryResult<i64> {
    network_version::table.find(1).select(network_version::version).first(conn)
}

/// The network's and the training statuses' stamps, in one read (intake needs
/// both for every signal).
pub fn stamps(conn: &mut AnyConnection) -> QueryResult<(i64, i64)> {
    use crate::db::schema::training_version;
    network_version::table
        .inner_join(training_version::table.on(training_version::id.eq(network_version::id)))
        .filter(network_version::id.eq(1))
        .select((network_version::version, training_version::version))
        .first(conn)
}

/// Marks the network changed; call it in the transaction of the change.
pub fn bump(conn: &mut AnyConnection) -> QueryResult<()> {
    diesel::update(network_version::table.find(1))
        .set(network_version::version.eq(network_version::version + 1))
        .execute(conn)
        .map(|_| ())
}
