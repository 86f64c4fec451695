//! Connection pool. The backend is chosen from the URL scheme here rather than by
//! `AnyConnection::establish`, which hides the real connection error and turns a
//! malformed URL into a SQLite file named after it.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};

use super::AnyConnection;

/// The two supported database engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database URL whose scheme has been checked: `sqlite://path` or `postgres://…`.
#[derive(Clone)]
pub struct DatabaseUrl {
    backend: Backend,
    /// What the driver is given: a file path for SQLite, the URL for PostgreSQL.
    target: String,
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// URL needs a file path, e.g. sqlite://saferelay.db".into());
            }
            Ok(Self { backend: Backend::Sqlite, target: path.to_string() })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self { backend: Backend::Postgres, target: url.to_string() })
        } else {
            Err("database URL must start with sqlite:// or postgres://".into())
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQLite file path, if this is a SQLite URL.
    pub fn sqlite_path(&self) -> Option<&str> {
        (self.backend == Backend::Sqlite).then_some(self.target.as_str())
    }

    /// Opens one connection, with the SQLite PRAGMAs applied.
    pub fn connect(&self) -> ConnectionResult<AnyConnection> {
        match self.backend {
            Backend::Postgres => diesel::PgConnection::establish(&self.target).map(AnyConnection::Postgresql),
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.target)?;
                conn.batch_execute(SQLITE_PRAGMAS).map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

// Why each PRAGMA: WAL lets readers run beside the writer; synchronous=FULL makes a
// committed signal survive a power cut (a 201 promises that); foreign_keys is off by
// default in SQLite; busy_timeout makes a second writer wait instead of failing;
// secure_delete overwrites deleted contact data instead of leaving it in free pages.
// busy_timeout comes first so that the others wait for a lock instead of failing
// when several pooled connections open a new database at once.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA secure_delete = ON;";

/// r2d2 manager building the right `AnyConnection` variant.
pub struct Manager(DatabaseUrl);

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        self.0.connect().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    /// A connection given back by a panicking thread, or whose transaction state
    /// diesel reports as broken (a failed rollback), is closed rather than reused:
    /// the next request would otherwise run inside a half-finished transaction. So
    /// is one its user found dead ([`close_when_returned`]).
    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        DEAD.with(|d| d.replace(false)) || std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

pub type Pool = r2d2::Pool<Manager>;

thread_local! {
    /// Set by the thread holding a connection it found dead; read (and cleared)
    /// by `has_broken` when that same thread hands the connection back.
    static DEAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The connection this thread holds is dead: close it when it is handed back.
pub(super) fn close_when_returned() {
    DEAD.with(|d| d.set(true));
}

/// Whether a connection still answers (asked only after an error).
pub(super) fn alive(conn: &mut AnyConnection) -> bool {
    conn.batch_execute("SELECT 1").is_ok()
}

/// Builds the pool. It does not fail when the database is down: requests then get
/// 503 and `/readyz` says not ready, while the process keeps trying. Connections
/// are not pinged on checkout (a round trip per request on PostgreSQL): a dead one
/// is noticed by the error it gives, then closed (see `Db::session`).
pub fn build_pool(url: &DatabaseUrl, max_size: u32, timeout: Duration) -> Pool {
    r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(timeout)
        .test_on_check_out(false)
        .build_unchecked(Manager(url.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread that panics in the middle of a transaction does not hand that
    /// transaction to the next user of the connection.
    #[test]
    fn a_connection_dropped_by_a_panicking_thread_is_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::parse(&format!("sqlite://{}", dir.path().join("p.db").display())).unwrap();
        let pool = build_pool(&url, 1, Duration::from_secs(5));
        let p = pool.clone();
        let crashed = std::thread::spawn(move || {
            let mut conn = p.get().unwrap();
            conn.batch_execute("BEGIN").unwrap();
            panic!("a bug in the middle of a transaction");
        })
        .join();
        assert!(crashed.is_err());
        let mut conn = pool.get().unwrap();
        assert!(conn.batch_execute("BEGIN").is_ok(), "a fresh connection, not the one left in a transaction");
    }
}
