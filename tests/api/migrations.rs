//! Every migration goes up, down and up again on both backends.

use saferelay::db::{DatabaseUrl, pending_migrations, revert_all_migrations, run_migrations};

use crate::helpers::{Backend, fresh_database_url};

fn up_down_up(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(url) = fresh_database_url(backend, dir.path()) else { return };
    let mut conn = DatabaseUrl::parse(&url).unwrap().connect().unwrap();
    let applied = run_migrations(&mut conn).unwrap();
    assert!(!applied.is_empty());
    assert_eq!(pending_migrations(&mut conn).unwrap(), 0);
    assert_eq!(revert_all_migrations(&mut conn).unwrap(), applied.len());
    assert_eq!(pending_migrations(&mut conn).unwrap(), applied.len());
    assert_eq!(run_migrations(&mut conn).unwrap(), applied);
    assert_eq!(pending_migrations(&mut conn).unwrap(), 0);
}

#[test]
fn migrations_go_up_down_up_on_sqlite() {
    up_down_up(Backend::Sqlite);
}

#[test]
fn migrations_go_up_down_up_on_postgres() {
    up_down_up(Backend::Postgres);
}
