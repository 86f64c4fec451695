//! Database access: one `AnyConnection` over SQLite and PostgreSQL, a pool that
//! picks the backend from the URL scheme, `Db::run` / `Db::write` / `Db::session`
//! which move every diesel call off the async executor, `DbError`, and the
//! transaction helpers. SQLite's group commit is in `group_commit`.

pub mod schema;

mod group_commit;
mod migrations;
mod pool;

use group_commit::GroupCommit;
pub use group_commit::Writer;
pub use migrations::{pending_migrations, revert_all_migrations, run_migrations};
pub use pool::{Backend, DatabaseUrl, Pool, build_pool};

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::r2d2;

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
    /// One permit per pooled connection. A call waits for its permit as a suspended
    /// future, so the blocking pool only ever runs calls that have a connection
    /// ready: no threads parked on the pool, no wake-ups for nothing.
    slots: Arc<tokio::sync::Semaphore>,
    /// SQLite allows one writer at a time, and a deferred transaction that reads
    /// before it writes can fail with SQLITE_BUSY instead of waiting. Serialising
    /// write transactions inside the process removes that failure mode.
    sqlite_writer: Option<Arc<tokio::sync::Mutex<()>>>,
    /// The queue of session writes committed in groups: under that lock on SQLite,
    /// under a lock of its own on PostgreSQL when group commit is on there
    /// ([`Db::with_group_commit_on_postgres`]).
    group: Option<Arc<GroupCommit>>,
}

fn unavailable<E: From<DbError>>(why: &str) -> E {
    E::from(DbError::Unavailable(why.to_string()))
}

impl Db {
    pub fn new(pool: Pool, backend: Backend) -> Self {
        let slots = Arc::new(tokio::sync::Semaphore::new(pool.max_size() as usize));
        let sqlite_writer = (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
        let group = sqlite_writer.clone().map(|lock| Arc::new(GroupCommit::new(lock)));
        Self { pool, backend, slots, sqlite_writer, group }
    }

    /// Commits session writes in groups on PostgreSQL too (SQLite always does): one
    /// transaction, and one WAL flush, for the writes of several concurrent sessions
    /// (`SAFERELAY_PG_GROUP_COMMIT`; docs/OPERATIONS.md). Plain `write` calls keep
    /// their own transactions, which PostgreSQL runs in parallel.
    pub fn with_group_commit_on_postgres(mut self, on: bool) -> Self {
        if on && self.backend == Backend::Postgres {
            self.group = Some(Arc::new(GroupCommit::new(Arc::new(tokio::sync::Mutex::new(())))));
        }
        self
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
        self.on_connection(None, f).await
    }

    /// Runs `f` inside one write transaction (serialised on SQLite).
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        self.on_connection(self.sqlite_writer.clone(), move |conn| transaction(conn, f)).await
    }

    /// Runs `f` with one pooled connection in one trip to the blocking pool: its
    /// reads, then (through the [`Writer`]) its write transaction. For hot paths
    /// where each extra trip — a thread hand-off and back — would cost more than
    /// the queries.
    ///
    /// Pooled connections are not pinged when handed out (a round trip per
    /// request). A connection that died meanwhile (a database restart) shows up as
    /// an error: it is then closed, and `f` — which must be safe to run again,
    /// as intake is through its idempotency record — runs once more on a fresh one.
    pub async fn session<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: Fn(&mut AnyConnection, &Writer) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let writer = Writer::new(self.group.clone());
        self.with_slot(None, move |pool| {
            let mut conn = checkout::<E>(pool)?;
            let first = f(&mut conn, &writer);
            if first.is_ok() || pool::alive(&mut conn) {
                return first;
            }
            pool::close_when_returned();
            drop(conn);
            let mut fresh = checkout::<E>(pool)?;
            let second = f(&mut fresh, &writer);
            if second.is_err() && !pool::alive(&mut fresh) {
                pool::close_when_returned();
            }
            second
        })
        .await
    }

    /// Runs `f` on a pooled connection. A connection found dead after an error
    /// is closed rather than handed out again (see [`Db::session`]); the request
    /// that met it fails with that error.
    async fn on_connection<T, E, F>(&self, lock: Option<Arc<tokio::sync::Mutex<()>>>, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.with_slot(lock, move |pool| {
            let mut conn = checkout::<E>(pool)?;
            let result = f(&mut conn);
            if result.is_err() && !pool::alive(&mut conn) {
                pool::close_when_returned();
            }
            result
        })
        .await
    }

    /// Takes a connection slot, then (for a write on SQLite) the writer lock — in that
    /// order, as `Writer::transaction` does, so a lock holder always has its slot —
    /// and runs `job` on the blocking pool.
    async fn with_slot<T, E, J>(&self, lock: Option<Arc<tokio::sync::Mutex<()>>>, job: J) -> Result<T, E>
    where
        J: FnOnce(&Pool) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let permit = tokio::time::timeout(self.pool.connection_timeout(), self.slots.clone().acquire_owned())
            .await
            .map_err(|_| unavailable::<E>("timed out waiting for a database connection"))?
            .map_err(|_| unavailable::<E>("connection slots closed"))?;
        // Writers queue here, as futures, holding a slot but no thread.
        let guard = match lock {
            Some(lock) => Some(
                tokio::time::timeout(self.pool.connection_timeout(), lock.lock_owned())
                    .await
                    .map_err(|_| unavailable::<E>("timed out waiting for the write lock"))?,
            ),
            None => None,
        };
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let (_permit, _guard) = (permit, guard);
            let _entered = span.enter();
            job(&pool)
        })
        .await
        .map_err(|e| E::from(DbError::Unavailable(format!("blocking task failed: {e}"))))?
    }

    /// True when the database answers a trivial query within `timeout`.
    pub async fn ping(&self, timeout: Duration) -> bool {
        let check = self.run(|conn| diesel::sql_query("SELECT 1").execute(conn).map_err(DbError::from));
        matches!(tokio::time::timeout(timeout, check).await, Ok(Ok(_)))
    }
}

/// A pooled connection, or `Unavailable`.
fn checkout<E: From<DbError>>(pool: &Pool) -> Result<r2d2::PooledConnection<pool::Manager>, E> {
    pool.get().map_err(|e| E::from(DbError::Unavailable(e.to_string())))
}

/// One write transaction: `BEGIN IMMEDIATE` on SQLite, a plain one on PostgreSQL.
pub(crate) fn transaction<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConnection::Sqlite(_) => immediate_transaction(conn, f),
        AnyConnection::Postgresql(_) => conn.transaction(f),
    }
}

/// A SQLite write transaction opened with `BEGIN IMMEDIATE`: it takes the write
/// lock up front, so `busy_timeout` makes it wait for another *process* (`saferelay
/// purge` or `remind` beside `serve`) instead of failing with SQLITE_BUSY when a
/// read in the transaction is followed by a write. The transaction state lives in
/// the inner connection, so nested `transaction` calls in `f` become savepoints.
pub(crate) fn immediate_transaction<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
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

/// A stored value that does not parse: the database is corrupt (`table.column`
/// names what). Stores convert rows to domain values with it.
pub fn corrupt(table: &str, column: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(format!("corrupt {table}.{column}").into())
}

/// SQL that is true when the byte length of `column` is `len` (`length` counts the
/// bytes of a BLOB in SQLite and of a BYTEA in PostgreSQL).
pub fn length_is(column: &'static str, len: usize) -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql(&format!("length({column}) = {len}"))
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
