//! Group commit: the writes of concurrent sessions share one transaction and one
//! flush to disk (see [`Writer`]). Always on SQLite; on PostgreSQL when
//! `SAFERELAY_PG_GROUP_COMMIT` is on (without it each write is its own
//! transaction, and the server commits concurrent transactions in parallel).

use std::sync::Arc;

use diesel::Connection;

use super::{AnyConnection, DbError, transaction};

/// Opens the write transaction from inside [`Db::session`], after the reads.
///
/// With group commit, writes from concurrent sessions are committed in groups: a
/// session queues its write, then waits for the group's lock (on SQLite, the
/// writer lock); whoever gets the lock runs every queued write in one transaction
/// (`BEGIN IMMEDIATE … COMMIT` on SQLite), each inside its own savepoint (a failing
/// write rolls back alone), and hands each session its result only once the group
/// has committed. One flush to disk then covers several signals, and the lock
/// changes hands once per group instead of once per signal. A session whose write
/// a previous holder already ran finds its result when it gets the lock. Without
/// group commit (PostgreSQL by default) each write is its own transaction.
pub struct Writer {
    group: Option<Arc<GroupCommit>>,
}

/// A queued write: runs in its savepoint, and returns what to tell its session
/// once the group's commit has succeeded or failed.
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;
type Job = Box<dyn FnOnce(&mut AnyConnection) -> Completion + Send>;

/// Most writes committed in one group (bounds the latency of the first).
const MAX_GROUP: usize = 64;

pub(super) struct GroupCommit {
    /// The lock a group is committed under (on SQLite the writer lock, shared with
    /// `Db::write`).
    lock: Arc<tokio::sync::Mutex<()>>,
    queue: std::sync::Mutex<Vec<Job>>,
}

impl GroupCommit {
    pub(super) fn new(lock: Arc<tokio::sync::Mutex<()>>) -> Self {
        Self { lock, queue: std::sync::Mutex::new(Vec::new()) }
    }
}

impl Writer {
    pub(super) fn new(group: Option<Arc<GroupCommit>>) -> Self {
        Self { group }
    }

    /// Runs `f` inside a write transaction and returns once that transaction has
    /// committed (or failed). Call it on the blocking thread `Db::session` gives: it
    /// may wait for the group's lock.
    pub fn transaction<T, E, F>(&self, conn: &mut AnyConnection, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let Some(group) = &self.group else { return transaction(conn, f) };
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<T, E>>(1);
        let job: Job = Box::new(move |c| {
            // A savepoint inside the group's transaction.
            let result = c.transaction(f);
            Box::new(move |committed| {
                let _ = tx.send(match committed {
                    Ok(()) => result,
                    Err(why) => Err(E::from(DbError::Unavailable(why))),
                });
            })
        });
        lock_queue(&group.queue).push(job);
        // The write's result, once some holder of the lock has run it (results are
        // sent before the lock is released); an error if its group could not start.
        let outcome = || match rx.try_recv() {
            Ok(result) => Some(result),
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Some(Err(E::from(DbError::Unavailable("the write group failed to start".into()))))
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
        };
        loop {
            let guard = group.lock.blocking_lock();
            if let Some(result) = outcome() {
                return result;
            }
            let batch: Vec<Job> = {
                let mut queue = lock_queue(&group.queue);
                let n = queue.len().min(MAX_GROUP);
                queue.drain(..n).collect()
            };
            commit_group(conn, batch);
            drop(guard);
            // This write was in the group unless more than MAX_GROUP were queued
            // before it: then it is in a later one.
            if let Some(result) = outcome() {
                return result;
            }
        }
    }
}

fn lock_queue(queue: &std::sync::Mutex<Vec<Job>>) -> std::sync::MutexGuard<'_, Vec<Job>> {
    queue.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs `batch` in one write transaction, then tells each write how it ended.
/// If the transaction cannot start, the jobs are dropped unrun and their
/// sessions see the group fail.
fn commit_group(conn: &mut AnyConnection, batch: Vec<Job>) {
    let mut completions = Vec::with_capacity(batch.len());
    let committed = transaction(conn, |c| {
        completions.extend(batch.into_iter().map(|job| job(c)));
        Ok::<_, diesel::result::Error>(())
    });
    let outcome = committed.map_err(|e| format!("group commit failed: {e}"));
    for done in completions {
        done(outcome.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Backend, DatabaseUrl, Db, build_pool};
    use diesel::prelude::*;
    use std::time::Duration;

    async fn sqlite_db(dir: &std::path::Path, pool_size: u32) -> Db {
        let url = DatabaseUrl::parse(&format!("sqlite://{}", dir.join("group.db").display())).unwrap();
        let db = Db::new(build_pool(&url, pool_size, Duration::from_secs(10)), Backend::Sqlite);
        db.run(|c| {
            diesel::sql_query("CREATE TABLE t (n INTEGER PRIMARY KEY, via TEXT NOT NULL)")
                .execute(c)
                .map_err(DbError::from)
        })
        .await
        .unwrap();
        db
    }

    fn numbers(db: &Db) -> impl std::future::Future<Output = Vec<i32>> + '_ {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            n: i32,
        }
        async move {
            db.run(|c| diesel::sql_query("SELECT n FROM t ORDER BY n").load::<Row>(c).map_err(DbError::from))
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.n)
                .collect()
        }
    }

    /// Many sessions write at once, with plain `Db::write` calls among them, on a
    /// pool smaller than the crowd: every write that succeeded is stored, every
    /// write that failed (after writing) left nothing, and nothing deadlocks.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn grouped_writes_commit_or_roll_back_each_on_its_own() {
        crowd_of_writes(3).await;
    }

    /// The same with more sessions queued than one group takes (`MAX_GROUP`): the
    /// writes left over are committed by a later group.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_beyond_one_group_are_committed_by_the_next() {
        crowd_of_writes(MAX_GROUP as u32 + 40).await;
    }

    async fn crowd_of_writes(pool_size: u32) {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_db(dir.path(), pool_size).await;
        let calls = (0..300).map(|n: i32| {
            let db = db.clone();
            async move {
                let insert = move |c: &mut AnyConnection, via: &str| -> Result<i32, DbError> {
                    diesel::sql_query(format!("INSERT INTO t (n, via) VALUES ({n}, '{via}')")).execute(c)?;
                    // Every seventh write fails after its insert.
                    if n % 7 == 0 { Err(DbError::Unavailable("refused".into())) } else { Ok(n) }
                };
                if n % 10 == 0 {
                    db.write(move |c| insert(c, "write")).await
                } else {
                    db.session(move |c, writer| writer.transaction(c, move |c| insert(c, "session"))).await
                }
            }
        });
        let results = tokio::time::timeout(Duration::from_secs(60), futures_util::future::join_all(calls))
            .await
            .expect("no deadlock");
        let ok: Vec<i32> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
        let expected: Vec<i32> = (0..300).filter(|n| n % 7 != 0).collect();
        assert_eq!(ok.len(), expected.len(), "exactly the failing writes failed");
        assert_eq!(numbers(&db).await, expected, "stored: the writes that succeeded, and only those");
    }

    /// A write that breaks a constraint inside a group fails alone; the same
    /// write again (a retry) finds the first one's row.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_conflicting_write_in_a_group_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_db(dir.path(), 8).await;
        let calls = (0..100).map(|i: i32| {
            let db = db.clone();
            // Pairs of writes insert the same key.
            let n = i / 2;
            async move {
                db.session(move |c, writer| {
                    writer.transaction(c, move |c| {
                        diesel::sql_query(format!("INSERT INTO t (n, via) VALUES ({n}, 'session')"))
                            .execute(c)
                            .map_err(DbError::from)
                    })
                })
                .await
            }
        });
        let results = futures_util::future::join_all(calls).await;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 50, "one of each pair");
        assert!(
            results.iter().filter_map(|r| r.as_ref().err()).all(|e| e.to_string().contains("UNIQUE")),
            "the others failed on the constraint"
        );
        assert_eq!(numbers(&db).await, (0..50).collect::<Vec<_>>());
    }
}
