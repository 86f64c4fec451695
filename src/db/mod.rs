//! Database access: one `AnyConnection` over SQLite and PostgreSQL, a pool that
//! picks the backend from the URL scheme, and `Db::run` / `Db::write` which move
//! every diesel call off the async executor.

pub mod schema;

mod migrations;
mod pool;

pub use migrations::{pending_migrations, revert_all_migrations, run_migrations};
pub use pool::{Backend, DatabaseUrl, Pool, build_pool};

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;

/// One connection type for both backends; stores take `&mut AnyConnection`.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Why a database call failed, as the service layer needs to know it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection could be had in time: the database is down or saturated.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The query itself failed.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Handle to the database shared by handlers and workers.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    /// SQLite allows one writer at a time, and a deferred transaction that reads
    /// before it writes can fail with SQLITE_BUSY instead of waiting. Serialising
    /// write transactions inside the process removes that failure mode.
    sqlite_writer: Arc<std::sync::Mutex<()>>,
}

impl Db {
    pub fn new(pool: Pool, backend: Backend) -> Self {
        Self { pool, backend, sqlite_writer: Arc::new(std::sync::Mutex::new(())) }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let mut conn = pool.get().map_err(|e| E::from(DbError::Unavailable(e.to_string())))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| E::from(DbError::Unavailable(format!("blocking task failed: {e}"))))?
    }

    /// Runs `f` inside one write transaction (serialised on SQLite).
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let lock = (self.backend == Backend::Sqlite).then(|| self.sqlite_writer.clone());
        self.run(move |conn| {
            let _guard = lock.as_ref().map(|m| m.lock().unwrap_or_else(|p| p.into_inner()));
            match conn {
                AnyConnection::Sqlite(_) => immediate_transaction(conn, f),
                AnyConnection::Postgresql(_) => conn.transaction(f),
            }
        })
        .await
    }

    /// True when the database answers a trivial query within `timeout`.
    pub async fn ping(&self, timeout: Duration) -> bool {
        let check = self.run(|conn| diesel::sql_query("SELECT 1").execute(conn).map_err(DbError::from));
        matches!(tokio::time::timeout(timeout, check).await, Ok(Ok(_)))
    }
}

/// A SQLite write transaction opened with `BEGIN IMMEDIATE`: it takes the write
/// lock up front, so `busy_timeout` makes it wait for another *process* (`saferelay
/// purge` or `remind` beside `serve`) instead of failing with SQLITE_BUSY when a
/// read in the transaction is followed by a write. The transaction state lives in
/// the inner connection, so nested `transaction` calls in `f` become savepoints.
fn immediate_transaction<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    fn inner(conn: &mut AnyConnection) -> QueryResult<&mut diesel::SqliteConnection> {
        match conn {
            AnyConnection::Sqlite(c) => Ok(c),
            AnyConnection::Postgresql(_) => Err(diesel::result::Error::BrokenTransactionManager),
        }
    }
    AnsiTransactionManager::begin_transaction_sql(inner(conn)?, "BEGIN IMMEDIATE")?;
    // The rest as diesel's own `transaction` does it (commit handles its failures).
    match f(conn) {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(inner(conn)?)?;
            Ok(value)
        }
        Err(user_error) => match AnsiTransactionManager::rollback_transaction(inner(conn)?) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(user_error),
            Err(rollback_error) => Err(rollback_error.into()),
        },
    }
}

/// Current time truncated to microseconds, so SQLite (nanoseconds) and
/// PostgreSQL (microseconds) store and return the same value.
pub fn now() -> chrono::NaiveDateTime {
    truncate_micros(chrono::Utc::now().naive_utc())
}

pub fn truncate_micros(t: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Timelike};
    let micros = t.nanosecond() / 1_000;
    t.trunc_subsecs(0) + chrono::Duration::microseconds(i64::from(micros))
}
