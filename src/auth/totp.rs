//! Second factor: TOTP (RFC 6238, 6 digits, 30 s) with recovery codes. The TOTP
//! secret is sealed like a contact, under the TOTP purpose key; recovery codes are
//! shown once and stored as hashes. Each accepted time step is remembered, so a
//! code cannot be replayed.
//!
//! A secret that cannot be opened (sealed under a master key that was dropped
//! before `rotate-keys` re-wrapped it) is not a server error: a TOTP code is then
//! refused with `second_factor_unreadable` (403), a recovery code still signs in,
//! and an admin resets the second factor so the person enrols again.

use crate::domain::UserId;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::crypto::{KeyUsage, LEGACY_WRAPPED_LEN, MasterKeyRing, Purpose, Sealed, WrappedKey};
use crate::db::AnyConnection;
use crate::db::schema::{recovery_codes, users};
use crate::http::error::AppError;

const RECOVERY_CODES: usize = 10;

/// A TOTP for `secret`, labelled with the account.
pub fn totp(secret: Vec<u8>, account: &str) -> Result<totp_rs::Totp, AppError> {
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(account.to_string())
        .with_issuer(Some("SafeRelay"))
        .build()
        .map_err(|e| AppError::internal(format!("totp: {e}")))
}

fn context(user: UserId) -> Vec<u8> {
    totp_context(&user.to_string())
}

/// A fresh 160-bit secret, sealed for storage.
pub fn new_secret(keys: &MasterKeyRing, user: UserId) -> Result<(Vec<u8>, Sealed), AppError> {
    let mut secret = vec![0u8; 20];
    rand::rng().fill(&mut secret[..]);
    let sealed = keys
        .seal(Purpose::Totp, &secret, &context(user))
        .map_err(|e| AppError::internal(format!("sealing totp: {e}")))?;
    Ok((secret, sealed))
}

/// The account's TOTP state: secret (if any), enabled, last accepted step.
pub struct TotpState {
    pub secret: Option<Vec<u8>>,
    pub enabled: bool,
    pub last_step: Option<i64>,
    /// A secret is stored but cannot be opened (its master key is not configured).
    pub unreadable: bool,
}

type Row = (Option<String>, Option<Vec<u8>>, Option<Vec<u8>>, Option<NaiveDateTime>, Option<i64>);

pub fn load(conn: &mut AnyConnection, keys: &MasterKeyRing, user: UserId) -> Result<TotpState, AppError> {
    let (kid, wrapped, ct, enabled, last): Row = users::table
        .find(user.to_string())
        .select((
            users::totp_key_id,
            users::totp_wrapped_key,
            users::totp_secret,
            users::totp_enabled_at,
            users::totp_last_step,
        ))
        .first(conn)?;
    let (secret, unreadable) = match (kid, wrapped, ct) {
        (Some(key_id), Some(wrapped_key), Some(ciphertext)) => {
            match keys.open(Purpose::Totp, &Sealed { key_id, wrapped_key, ciphertext }, &context(user)) {
                Ok(plain) => (Some(plain.to_vec()), false),
                Err(e) => {
                    tracing::warn!(error = %e, "a TOTP secret cannot be opened; the second factor needs an admin reset");
                    (None, true)
                }
            }
        }
        _ => (None, false),
    };
    Ok(TotpState { secret, enabled: enabled.is_some(), last_step: last, unreadable })
}

pub fn store_pending(conn: &mut AnyConnection, user: UserId, sealed: &Sealed) -> QueryResult<usize> {
    diesel::update(users::table.find(user.to_string()))
        .set((
            users::totp_key_id.eq(Some(&sealed.key_id)),
            users::totp_wrapped_key.eq(Some(&sealed.wrapped_key)),
            users::totp_secret.eq(Some(&sealed.ciphertext)),
            users::totp_enabled_at.eq(None::<NaiveDateTime>),
            users::totp_last_step.eq(None::<i64>),
        ))
        .execute(conn)
}

/// Accepts a code once: true when it matches a step after the last accepted one.
pub fn check_code(
    conn: &mut AnyConnection,
    user: UserId,
    state: &TotpState,
    code: &str,
    account: &str,
) -> Result<bool, AppError> {
    if state.unreadable {
        return Err(AppError::Refused {
            code: "second_factor_unreadable",
            detail: "Your second factor can no longer be checked (it was sealed under a retired key). Sign in with a recovery code, or ask an admin to reset your second factor and enrol again.".into(),
        });
    }
    let Some(secret) = &state.secret else { return Ok(false) };
    let Some(step) = totp(secret.clone(), account)?.check_current(code.trim()) else { return Ok(false) };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    if state.last_step.is_some_and(|last| step <= last) {
        return Ok(false);
    }
    let n = diesel::update(
        users::table.find(user.to_string()).filter(users::totp_last_step.is_null().or(users::totp_last_step.lt(step))),
    )
    .set(users::totp_last_step.eq(Some(step)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn enable(conn: &mut AnyConnection, user: UserId, now: NaiveDateTime) -> Result<Vec<String>, AppError> {
    diesel::update(users::table.find(user.to_string())).set(users::totp_enabled_at.eq(Some(now))).execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user.to_string()))).execute(conn)?;
    let mut codes = Vec::new();
    for _ in 0..RECOVERY_CODES {
        let code = recovery_code();
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::id.eq(uuid::Uuid::new_v4().to_string()),
                recovery_codes::user_id.eq(user.to_string()),
                recovery_codes::code_hash.eq(hash_code(&code)),
            ))
            .execute(conn)?;
        codes.push(code);
    }
    Ok(codes)
}

/// Uses up a recovery code; true when it was valid and unused.
pub fn use_recovery_code(conn: &mut AnyConnection, user: UserId, code: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user.to_string()))
            .filter(recovery_codes::code_hash.eq(hash_code(code)))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Removes the second factor entirely (admin reset).
pub fn clear(conn: &mut AnyConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user.to_string()))).execute(conn)?;
    diesel::update(users::table.find(user.to_string()))
        .set((
            users::totp_key_id.eq(None::<String>),
            users::totp_wrapped_key.eq(None::<Vec<u8>>),
            users::totp_secret.eq(None::<Vec<u8>>),
            users::totp_enabled_at.eq(None::<NaiveDateTime>),
            users::totp_last_step.eq(None::<i64>),
        ))
        .execute(conn)
}

// Key rotation of TOTP secrets (see `rotation`). An update only touches a row still
// holding the wrapped key that was read, so a secret reset or replaced meanwhile
// is left alone.

/// A page of TOTP secrets' wrapped keys after `after` (user id order).
pub fn totp_keys_after(conn: &mut AnyConnection, after: &str, limit: i64) -> QueryResult<Vec<(String, WrappedKey)>> {
    let rows: Vec<(String, Option<String>, Option<Vec<u8>>)> = users::table
        .filter(users::id.gt(after))
        .filter(users::totp_key_id.is_not_null())
        .order(users::id.asc())
        .limit(limit)
        .select((users::id, users::totp_key_id, users::totp_wrapped_key))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kid, wrapped)| Some((id, WrappedKey { key_id: kid?, wrapped_key: wrapped? })))
        .collect())
}

/// Re-wraps a TOTP secret's data key if the row still holds `old`.
pub fn rewrap_totp(conn: &mut AnyConnection, user_id: &str, old: &WrappedKey, new: &WrappedKey) -> QueryResult<bool> {
    let n = diesel::update(
        users::table
            .filter(users::id.eq(user_id))
            .filter(users::totp_key_id.eq(&old.key_id))
            .filter(users::totp_wrapped_key.eq(&old.wrapped_key)),
    )
    .set((users::totp_key_id.eq(&new.key_id), users::totp_wrapped_key.eq(&new.wrapped_key)))
    .execute(conn)?;
    Ok(n == 1)
}

/// The context a user's TOTP secret is sealed with.
pub fn totp_context(user_id: &str) -> Vec<u8> {
    format!("totp/{user_id}").into_bytes()
}

/// TOTP secrets per master key.
pub fn totp_key_usage(conn: &mut AnyConnection) -> QueryResult<Vec<KeyUsage>> {
    let group = |legacy: bool, conn: &mut AnyConnection| -> QueryResult<Vec<(String, i64)>> {
        let mut q = users::table
            .filter(users::totp_key_id.is_not_null())
            .group_by(users::totp_key_id)
            .select((users::totp_key_id, diesel::dsl::count_star()))
            .into_boxed();
        if legacy {
            q = q.filter(crate::db::length_is("totp_wrapped_key", LEGACY_WRAPPED_LEN));
        }
        let rows: Vec<(Option<String>, i64)> = q.load(conn)?;
        Ok(rows.into_iter().filter_map(|(k, n)| Some((k?, n))).collect())
    };
    let all = group(false, conn)?;
    Ok(KeyUsage::merge(all, group(true, conn)?))
}

/// 16 characters (80 bits) from an unambiguous alphabet, as `XXXX-XXXX-XXXX-XXXX`.
fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let raw: Vec<char> = (0..16).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    raw.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// 80 random bits need no slow hash: SHA-256 of the normalised code.
fn hash_code(code: &str) -> String {
    let normal: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    Sha256::digest(normal.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_long_and_normalised_before_hashing() {
        let c = recovery_code();
        assert_eq!(c.len(), 19);
        assert_eq!(hash_code(&c), hash_code(&c.to_lowercase().replace('-', "")));
        assert_ne!(hash_code(&c), hash_code(&recovery_code()));
    }

    #[test]
    fn a_generated_code_checks_against_its_secret() {
        let t = totp(vec![7u8; 20], "a@example.be").unwrap();
        let code = t.generate_current().to_string();
        assert!(t.check_current(&code).is_some());
        assert!(totp(vec![8u8; 20], "a@example.be").unwrap().check_current(&code).is_none());
    }
}
