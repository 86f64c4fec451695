//! Re-wrapping and counting, over the owners' services.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::auth::service as auth;
use crate::crypto::{KeyUsage, MasterKeyRing, Purpose, WrappedKey};
use crate::db::{AnyConnection, Db};
use crate::http::error::AppError;
use crate::routing::service as routing;
use crate::signals::service as signals;

/// Rows each master key wraps, per purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    pub purposes: Vec<(Purpose, Vec<KeyUsage>)>,
}

impl Usage {
    /// Rows still wrapped by a key other than `current` (these keep that key
    /// needed), plus rows under `current` in the format before purpose keys.
    pub fn pending(&self, current: &str) -> i64 {
        self.all().filter(|(_, u)| u.key_id != current).map(|(_, u)| u.rows).sum::<i64>()
            + self.all().filter(|(_, u)| u.key_id == current).map(|(_, u)| u.legacy).sum::<i64>()
    }

    /// Rows that depend on the master key `key_id` (across purposes).
    pub fn rows_on(&self, key_id: &str) -> i64 {
        self.all().filter(|(_, u)| u.key_id == key_id).map(|(_, u)| u.rows).sum()
    }

    /// Every key id found, in order.
    pub fn key_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.all().map(|(_, u)| u.key_id.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    pub fn all(&self) -> impl Iterator<Item = (Purpose, &KeyUsage)> {
        self.purposes.iter().flat_map(|(p, keys)| keys.iter().map(move |u| (*p, u)))
    }

    /// One line per purpose and key: `contact  k2  12 rows (3 in the old format)`.
    pub fn lines(&self, keys: &MasterKeyRing) -> Vec<String> {
        let mut out = Vec::new();
        for (purpose, u) in self.all() {
            let state = if u.key_id == keys.current_key_id() {
                "current"
            } else if keys.key_ids().contains(&u.key_id) {
                "old"
            } else {
                "NOT CONFIGURED"
            };
            let legacy =
                if u.legacy > 0 { format!(" ({} in the format before purpose keys)", u.legacy) } else { String::new() };
            out.push(format!("  {:<24} key {:<20} {:<15} {} rows{legacy}", purpose.as_str(), u.key_id, state, u.rows));
        }
        if out.is_empty() {
            out.push("  (nothing sealed)".into());
        }
        out
    }
}

/// Counts what each master key wraps, in one trip to the database.
pub async fn usage(db: &Db) -> Result<Usage, AppError> {
    db.run(|c| {
        let fingerprint = signals::fingerprint_wrapped_key(c)?
            .map(|k| {
                let legacy = i64::from(crate::crypto::is_legacy_format(&k.wrapped_key));
                vec![KeyUsage { key_id: k.key_id, rows: 1, legacy }]
            })
            .unwrap_or_default();
        let push_key = crate::push::service::wrapped_key(c)?
            .map(|k| vec![KeyUsage { key_id: k.key_id, rows: 1, legacy: 0 }])
            .unwrap_or_default();
        Ok(Usage {
            purposes: vec![
                (Purpose::Contact, signals::contact_key_usage(c)?),
                (Purpose::Totp, auth::totp_key_usage(c)?),
                (Purpose::WebhookSecret, routing::webhook_key_usage(c)?),
                (Purpose::IdempotencyFingerprint, fingerprint),
                (Purpose::PushKey, push_key),
            ],
        })
    })
    .await
}

/// What a run did.
pub struct Report {
    pub before: Usage,
    pub after: Usage,
    /// Plaintext webhook secrets (from before secrets were sealed) sealed now.
    pub sealed_plaintext: usize,
    /// Data keys re-wrapped, per purpose.
    pub rewrapped: BTreeMap<&'static str, usize>,
    /// Rows that could not be unwrapped, per (purpose, key id): their key is not
    /// configured (or the row is damaged). They are left as they are.
    pub unreadable: BTreeMap<(&'static str, String), usize>,
}

type Page = fn(&mut AnyConnection, &str, i64) -> Result<Vec<(String, WrappedKey)>, AppError>;
type Rewrap = fn(&mut AnyConnection, &str, &WrappedKey, &WrappedKey) -> Result<bool, AppError>;

/// Where each purpose's wrapped keys live, and the context each is bound to.
struct Source {
    purpose: Purpose,
    page: Page,
    rewrap: Rewrap,
    context: fn(&str) -> Vec<u8>,
}

fn sources() -> [Source; 5] {
    [
        Source {
            purpose: Purpose::Contact,
            page: signals::contact_keys_after,
            rewrap: signals::rewrap_contact,
            context: |id| id.as_bytes().to_vec(),
        },
        Source {
            purpose: Purpose::Totp,
            page: |c, after, n| Ok(auth::totp_keys_after(c, after, n)?),
            rewrap: |c, id, old, new| Ok(auth::rewrap_totp(c, id, old, new)?),
            context: auth::totp_context,
        },
        Source {
            purpose: Purpose::WebhookSecret,
            page: |c, after, n| Ok(routing::webhook_keys_after(c, after, n)?),
            rewrap: |c, id, old, new| Ok(routing::rewrap_webhook_secret(c, id, old, new)?),
            context: |id| id.as_bytes().to_vec(),
        },
        Source {
            purpose: Purpose::IdempotencyFingerprint,
            page: |c, after, _| {
                if !after.is_empty() {
                    return Ok(Vec::new());
                }
                Ok(signals::fingerprint_wrapped_key(c)?.map(|k| ("fingerprint".to_string(), k)).into_iter().collect())
            },
            rewrap: |c, _, old, new| signals::rewrap_fingerprint_key(c, old, new),
            context: |_| signals::fingerprint_context().to_vec(),
        },
        Source {
            purpose: Purpose::PushKey,
            page: |c, after, _| {
                if !after.is_empty() {
                    return Ok(Vec::new());
                }
                Ok(crate::push::service::wrapped_key(c)?.map(|k| ("vapid".to_string(), k)).into_iter().collect())
            },
            rewrap: |c, _, old, new| crate::push::service::rewrap_key(c, old, new),
            context: |_| crate::push::service::key_context().to_vec(),
        },
    ]
}

/// Re-wraps every data key not yet under the newest master key, `batch` rows per
/// transaction; seals plaintext webhook secrets first.
pub async fn rotate(db: &Db, keys: &Arc<MasterKeyRing>, batch: i64) -> Result<Report, AppError> {
    let batch = batch.max(1);
    let before = usage(db).await?;
    let sealed_plaintext = routing::seal_plaintext_webhook_secrets(db, keys).await?;
    let mut rewrapped = BTreeMap::new();
    let mut unreadable = BTreeMap::new();
    for source in sources() {
        let purpose = source.purpose;
        let done = rewrapped.entry(purpose.as_str()).or_insert(0);
        let mut after = String::new();
        loop {
            let (page, from) = (source.page, after.clone());
            let rows = db.run(move |c| page(c, &from, batch)).await?;
            let Some((last, _)) = rows.last() else { break };
            after = last.clone();
            let mut todo = Vec::new();
            for (id, old) in rows {
                match keys.rewrap(purpose, &old, &(source.context)(&id)) {
                    Ok(Some(new)) => todo.push((id, old, new)),
                    Ok(None) => {}
                    Err(_) => *unreadable.entry((purpose.as_str(), old.key_id)).or_insert(0) += 1,
                }
            }
            if todo.is_empty() {
                continue;
            }
            let rewrap = source.rewrap;
            *done += db
                .write(move |c| {
                    let mut n = 0;
                    for (id, old, new) in &todo {
                        n += usize::from(rewrap(c, id, old, new)?);
                    }
                    Ok::<_, AppError>(n)
                })
                .await?;
        }
    }
    let after = usage(db).await?;
    Ok(Report { before, after, sealed_plaintext, rewrapped, unreadable })
}
