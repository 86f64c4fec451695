//! Sign-in throttling, per account and per client address, stored in the database
//! so it holds across instances. Unknown e-mail addresses are throttled exactly
//! like real ones, so the answers never reveal whether an account exists.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::login_throttle;
use crate::db::{self, AnyConnection};
use crate::http::error::AppError;
use crate::state::AppState;

/// Failures are counted within this window; a quiet window starts the count again.
const WINDOW_MINUTES: i64 = 15;
const MAX_DELAY_SECS: i64 = 15 * 60;

/// The thresholds (from settings).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Failures on one account before each further attempt is delayed.
    pub account_delay_after: i32,
    /// Failures on one account that lock it for `lock_minutes`.
    pub account_lock_after: i32,
    pub lock_minutes: i64,
    /// Failures from one client address before its attempts are delayed.
    pub address_delay_after: i32,
}

/// The key of an account: a hash of the normalised e-mail, so that what an
/// attacker typed is not stored.
pub fn account_key(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    format!("acct:{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

pub fn address_key(addr: &str) -> String {
    format!("addr:{addr}")
}

/// How long to block after `failures` failures: nothing below `delay_after`, then
/// 1 s doubling each time (capped at 15 minutes); the lock at `lock_after`.
pub fn block_for(failures: i32, delay_after: i32, lock_after: Option<(i32, i64)>) -> Option<Duration> {
    if let Some((after, minutes)) = lock_after
        && failures >= after
    {
        return Some(Duration::minutes(minutes));
    }
    if failures < delay_after {
        return None;
    }
    let exp = u32::try_from(failures - delay_after).unwrap_or(0).min(20);
    Some(Duration::seconds((1i64 << exp).min(MAX_DELAY_SECS)))
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = login_throttle)]
pub struct ThrottleRow {
    pub throttle_key: String,
    pub failures: i32,
    pub window_started_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
    pub lock_notified_at: Option<NaiveDateTime>,
}

pub fn find(conn: &mut AnyConnection, key: &str) -> QueryResult<Option<ThrottleRow>> {
    login_throttle::table.find(key).select(ThrottleRow::as_select()).first(conn).optional()
}

/// Seconds left on a block of `key`, if it is blocked at `now`.
pub fn blocked(conn: &mut AnyConnection, key: &str, now: NaiveDateTime) -> QueryResult<Option<i64>> {
    Ok(find(conn, key)?.and_then(|r| r.blocked_until).filter(|t| *t > now).map(|t| (t - now).num_seconds().max(1)))
}

/// Counts a failure and sets the block it earns; returns the new row.
pub fn record_failure(
    conn: &mut AnyConnection,
    key: &str,
    now: NaiveDateTime,
    delay_after: i32,
    lock_after: Option<(i32, i64)>,
) -> QueryResult<ThrottleRow> {
    let existing = match conn {
        // Concurrent failures for one key (a guessing wave from one address) must
        // each count, and none may fail on the key's first row: create the row if
        // it is missing, then hold its lock until the transaction ends. (SQLite's
        // write transactions are exclusive already.)
        AnyConnection::Postgresql(pg) => {
            let first = ThrottleRow {
                throttle_key: key.to_string(),
                failures: 0,
                window_started_at: now,
                blocked_until: None,
                lock_notified_at: None,
            };
            diesel::insert_into(login_throttle::table).values(&first).on_conflict_do_nothing().execute(pg)?;
            login_throttle::table.find(key).select(ThrottleRow::as_select()).for_update().first(pg).optional()?
        }
        AnyConnection::Sqlite(_) => find(conn, key)?,
    };
    let fresh = existing.as_ref().is_none_or(|r| {
        now - r.window_started_at > Duration::minutes(WINDOW_MINUTES) && r.blocked_until.is_none_or(|b| b <= now)
    });
    let (failures, window, notified) = match (&existing, fresh) {
        (Some(r), false) => (r.failures + 1, r.window_started_at, r.lock_notified_at),
        _ => (1, now, None),
    };
    let row = ThrottleRow {
        throttle_key: key.to_string(),
        failures,
        window_started_at: window,
        blocked_until: block_for(failures, delay_after, lock_after).map(|d| now + d),
        lock_notified_at: notified,
    };
    if existing.is_some() {
        diesel::update(login_throttle::table.find(key))
            .set((
                login_throttle::failures.eq(row.failures),
                login_throttle::window_started_at.eq(row.window_started_at),
                login_throttle::blocked_until.eq(row.blocked_until),
                login_throttle::lock_notified_at.eq(row.lock_notified_at),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(login_throttle::table).values(&row).execute(conn)?;
    }
    Ok(row)
}

// Rate limits of the anonymous account endpoints (reset requests, invitation and
// reset tokens), in the same table under their own key prefixes: a fixed one-hour
// window per key.

const RATE_WINDOW_MINUTES: i64 = 60;

/// The key of password-reset requests for an e-mail (hashed like `account_key`).
pub fn reset_account_key(email: &str) -> String {
    format!("reset-{}", account_key(email))
}

/// The key of password-reset requests from a client address.
pub fn reset_address_key(addr: &str) -> String {
    format!("reset-addr:{addr}")
}

/// The key of bad invitation and reset tokens from a client address.
pub fn token_address_key(addr: &str) -> String {
    format!("token-addr:{addr}")
}

/// Counts one hit of `key` in its window. From the `limit`-th hit on, the key is
/// blocked until the window ends (`blocked` answers the seconds left). Returns the
/// seconds left when this hit is over the limit.
pub fn hit(conn: &mut AnyConnection, key: &str, now: NaiveDateTime, limit: i32) -> QueryResult<Option<i64>> {
    let existing = lock_row(conn, key, now)?;
    let window = Duration::minutes(RATE_WINDOW_MINUTES);
    let (count, started) = match &existing {
        Some(r) if now - r.window_started_at < window => (r.failures.saturating_add(1), r.window_started_at),
        _ => (1, now),
    };
    let end = started + window;
    let row = ThrottleRow {
        throttle_key: key.to_string(),
        failures: count,
        window_started_at: started,
        blocked_until: (count >= limit).then_some(end),
        lock_notified_at: None,
    };
    save(conn, existing.is_some(), &row)?;
    Ok((count > limit).then(|| (end - now).num_seconds().max(1)))
}

/// The row of `key`, locked until the transaction ends on PostgreSQL (created
/// first if missing, so that concurrent first hits both count).
fn lock_row(conn: &mut AnyConnection, key: &str, now: NaiveDateTime) -> QueryResult<Option<ThrottleRow>> {
    match conn {
        AnyConnection::Postgresql(pg) => {
            let first = ThrottleRow {
                throttle_key: key.to_string(),
                failures: 0,
                window_started_at: now,
                blocked_until: None,
                lock_notified_at: None,
            };
            diesel::insert_into(login_throttle::table).values(&first).on_conflict_do_nothing().execute(pg)?;
            login_throttle::table.find(key).select(ThrottleRow::as_select()).for_update().first(pg).optional()
        }
        AnyConnection::Sqlite(_) => find(conn, key),
    }
}

fn save(conn: &mut AnyConnection, exists: bool, row: &ThrottleRow) -> QueryResult<()> {
    if exists {
        diesel::update(login_throttle::table.find(&row.throttle_key))
            .set((
                login_throttle::failures.eq(row.failures),
                login_throttle::window_started_at.eq(row.window_started_at),
                login_throttle::blocked_until.eq(row.blocked_until),
                login_throttle::lock_notified_at.eq(row.lock_notified_at),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(login_throttle::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// Looks a one-time token up before any Argon2 work: 429 when the client address
/// has presented too many bad tokens this hour, 404 (counted against the address)
/// when the token is unknown, used or expired.
pub async fn check_token<T: Send + 'static>(
    state: &AppState,
    client: &str,
    find: impl FnOnce(&mut AnyConnection, NaiveDateTime) -> Result<Option<T>, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let key = token_address_key(client);
    let limit = state.settings.token_failures_per_address;
    let (k, now) = (key.clone(), db::now());
    if let Some(secs) = state.db.run(move |c| Ok::<_, AppError>(blocked(c, &k, now)?)).await? {
        return Err(AppError::TooManyRequests { retry_after_secs: u64::try_from(secs).unwrap_or(1) });
    }
    if let Some(found) = state.db.run(move |c| find(c, now)).await? {
        return Ok(found);
    }
    state.db.write(move |c| Ok::<_, AppError>(hit(c, &key, db::now(), limit)?)).await?;
    Err(AppError::NotFound)
}

/// Marks that the owner was told of the lock; false if already told.
pub fn mark_lock_notified(conn: &mut AnyConnection, key: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(login_throttle::table.find(key).filter(login_throttle::lock_notified_at.is_null()))
        .set(login_throttle::lock_notified_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn clear(conn: &mut AnyConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_after_the_threshold_and_lock_at_the_limit() {
        let lock = Some((10, 30));
        assert_eq!(block_for(4, 5, lock), None);
        assert_eq!(block_for(5, 5, lock), Some(Duration::seconds(1)));
        assert_eq!(block_for(6, 5, lock), Some(Duration::seconds(2)));
        assert_eq!(block_for(9, 5, lock), Some(Duration::seconds(16)));
        assert_eq!(block_for(10, 5, lock), Some(Duration::minutes(30)));
        assert_eq!(block_for(60, 20, None), Some(Duration::seconds(MAX_DELAY_SECS)));
    }

    #[test]
    fn account_keys_do_not_hold_the_address() {
        let k = account_key(" Ann@Example.be ");
        assert_eq!(k, account_key("ann@example.be"));
        assert!(!k.contains("ann"));
    }
}
