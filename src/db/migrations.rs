//! Embedded migrations, one tree per backend (`migrations/sqlite`,
//! `migrations/postgres`), with the same names and meaning.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::AnyConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies every pending migration; returns the versions applied.
pub fn run_migrations(conn: &mut AnyConnection) -> Result<Vec<String>, BoxError> {
    let applied = match conn {
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE)?,
        AnyConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES)?,
    };
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// Number of migrations the database still lacks (0 means current).
pub fn pending_migrations(conn: &mut AnyConnection) -> Result<usize, BoxError> {
    Ok(match conn {
        AnyConnection::Sqlite(c) => c.pending_migrations(SQLITE)?.len(),
        AnyConnection::Postgresql(c) => c.pending_migrations(POSTGRES)?.len(),
    })
}

/// Reverts every applied migration (used by the up → down → up test).
pub fn revert_all_migrations(conn: &mut AnyConnection) -> Result<usize, BoxError> {
    Ok(match conn {
        AnyConnection::Sqlite(c) => c.revert_all_migrations(SQLITE)?.len(),
        AnyConnection::Postgresql(c) => c.revert_all_migrations(POSTGRES)?.len(),
    })
}
