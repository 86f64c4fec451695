//! Rows of `push_subscriptions`, `push_messages` and `push_keys`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::crypto::{Sealed, WrappedKey};
use crate::db::AnyConnection;
use crate::db::schema::{push_keys, push_messages, push_subscriptions, refresh_tokens, signals, users};

/// A device's subscription, as stored.
#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = push_subscriptions)]
pub struct SubscriptionRow {
    pub id: String,
    pub user_id: String,
    pub relay_point_id: String,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub created_at: NaiveDateTime,
}

/// Stores a subscription, replacing any earlier one for the same endpoint (the
/// same device subscribing again, or another staff member now signed in on it).
pub fn upsert_subscription(c: &mut AnyConnection, row: &SubscriptionRow) -> QueryResult<()> {
    let old: Vec<String> = push_subscriptions::table
        .filter(push_subscriptions::endpoint.eq(&row.endpoint))
        .select(push_subscriptions::id)
        .load(c)?;
    for id in old {
        delete_subscription(c, &id)?;
    }
    diesel::insert_into(push_subscriptions::table).values(row).execute(c)?;
    Ok(())
}

/// Deletes a subscription and the pushes waiting for it.
pub fn delete_subscription(c: &mut AnyConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(push_messages::table.filter(push_messages::subscription_id.eq(id))).execute(c)?;
    diesel::delete(push_subscriptions::table.find(id)).execute(c)
}

/// Deletes `id` if it belongs to `user`; false when it does not exist or is another's.
pub fn delete_own(c: &mut AnyConnection, user: &str, id: &str) -> QueryResult<bool> {
    let owned = push_subscriptions::table
        .find(id)
        .filter(push_subscriptions::user_id.eq(user))
        .select(push_subscriptions::id)
        .first::<String>(c)
        .optional()?;
    match owned {
        Some(id) => Ok(delete_subscription(c, &id)? > 0),
        None => Ok(false),
    }
}

/// Deletes every subscription of an account.
pub fn delete_of_user(c: &mut AnyConnection, user: &str) -> QueryResult<usize> {
    let ids: Vec<String> = push_subscriptions::table
        .filter(push_subscriptions::user_id.eq(user))
        .select(push_subscriptions::id)
        .load(c)?;
    let mut n = 0;
    for id in ids {
        n += delete_subscription(c, &id)?;
    }
    Ok(n)
}

/// Queues one push to each device subscribed for the relay point of `signal`,
/// unless one is already waiting for that device (it will say the same thing).
pub fn queue_for_signal(c: &mut AnyConnection, signal: &str, now: NaiveDateTime) -> QueryResult<usize> {
    let Some(relay) = signals::table.find(signal).select(signals::relay_point_id).first::<String>(c).optional()? else {
        return Ok(0);
    };
    let subscriptions: Vec<String> = push_subscriptions::table
        .filter(push_subscriptions::relay_point_id.eq(&relay))
        .select(push_subscriptions::id)
        .load(c)?;
    if subscriptions.is_empty() {
        return Ok(0);
    }
    let waiting: Vec<String> = push_messages::table
        .filter(push_messages::subscription_id.eq_any(&subscriptions))
        .filter(push_messages::status.eq("pending"))
        .select(push_messages::subscription_id)
        .load(c)?;
    let mut queued = 0;
    for subscription in subscriptions.iter().filter(|s| !waiting.contains(s)) {
        diesel::insert_into(push_messages::table)
            .values((
                push_messages::id.eq(uuid::Uuid::new_v4().to_string()),
                push_messages::subscription_id.eq(subscription),
                push_messages::status.eq("pending"),
                push_messages::attempts.eq(0),
                push_messages::next_attempt_at.eq(now),
                push_messages::created_at.eq(now),
            ))
            .execute(c)?;
        queued += 1;
    }
    Ok(queued)
}

/// A leased push.
#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = push_messages)]
pub struct MessageRow {
    pub id: String,
    pub subscription_id: String,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
}

mod queue {
    use super::*;
    crate::outbox::mail_queue::mail_queue_queries!(push_messages, MessageRow, 50, 24);
    pub fn claim(c: &mut AnyConnection, now: NaiveDateTime, until: NaiveDateTime) -> QueryResult<Vec<MessageRow>> {
        claim_due(c, now, until)
    }
    pub fn record(
        c: &mut AnyConnection,
        id: &str,
        outcome: (&'static str, NaiveDateTime, Option<&'static str>),
        attempts: i32,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        record_attempt(c, id, outcome, attempts, now)
    }
}

pub use queue::{claim as claim_due, record as record_attempt};

/// The subscription a push is for, if it may still receive pushes: it exists, its
/// account is active, still at that relay point, and signed in somewhere (a live
/// refresh token). A subscription that may not is deleted, and `None` returned.
pub fn deliverable(c: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<Option<SubscriptionRow>> {
    let Some(sub) = push_subscriptions::table
        .find(id)
        .select(SubscriptionRow::as_select())
        .first::<SubscriptionRow>(c)
        .optional()?
    else {
        return Ok(None);
    };
    let account_ok = users::table
        .find(&sub.user_id)
        .filter(users::active.eq(true))
        .filter(users::relay_point_id.eq(&sub.relay_point_id))
        .count()
        .get_result::<i64>(c)?
        > 0;
    let signed_in = account_ok
        && refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(&sub.user_id))
            .filter(refresh_tokens::revoked_at.is_null())
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::expires_at.gt(now))
            .count()
            .get_result::<i64>(c)?
            > 0;
    if signed_in {
        Ok(Some(sub))
    } else {
        delete_subscription(c, &sub.id)?;
        Ok(None)
    }
}

/// The one row of `push_keys`.
pub const VAPID_KEY_ID: &str = "vapid";

pub fn find_key(c: &mut AnyConnection) -> QueryResult<Option<Sealed>> {
    let row: Option<(String, Vec<u8>, Vec<u8>)> = push_keys::table
        .find(VAPID_KEY_ID)
        .select((push_keys::key_id, push_keys::wrapped_key, push_keys::ciphertext))
        .first(c)
        .optional()?;
    Ok(row.map(|(key_id, wrapped_key, ciphertext)| Sealed { key_id, wrapped_key, ciphertext }))
}

pub fn insert_key(c: &mut AnyConnection, sealed: &Sealed, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::insert_into(push_keys::table)
        .values((
            push_keys::id.eq(VAPID_KEY_ID),
            push_keys::key_id.eq(&sealed.key_id),
            push_keys::wrapped_key.eq(&sealed.wrapped_key),
            push_keys::ciphertext.eq(&sealed.ciphertext),
            push_keys::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(n == 1)
}

/// Replaces the key if it is still `old`; every subscription was made for the old
/// key's public half, so they are all deleted (the app subscribes again).
pub fn replace_key(c: &mut AnyConnection, old: &WrappedKey, new: &Sealed) -> QueryResult<bool> {
    let n = diesel::update(
        push_keys::table
            .find(VAPID_KEY_ID)
            .filter(push_keys::key_id.eq(&old.key_id))
            .filter(push_keys::wrapped_key.eq(&old.wrapped_key)),
    )
    .set((
        push_keys::key_id.eq(&new.key_id),
        push_keys::wrapped_key.eq(&new.wrapped_key),
        push_keys::ciphertext.eq(&new.ciphertext),
    ))
    .execute(c)?;
    if n == 1 {
        diesel::delete(push_messages::table).execute(c)?;
        diesel::delete(push_subscriptions::table).execute(c)?;
    }
    Ok(n == 1)
}

/// Re-wraps the key's data key if it is still `old` (key rotation).
pub fn rewrap_key(c: &mut AnyConnection, old: &WrappedKey, new: &WrappedKey) -> QueryResult<bool> {
    let n = diesel::update(
        push_keys::table
            .find(VAPID_KEY_ID)
            .filter(push_keys::key_id.eq(&old.key_id))
            .filter(push_keys::wrapped_key.eq(&old.wrapped_key)),
    )
    .set((push_keys::key_id.eq(&new.key_id), push_keys::wrapped_key.eq(&new.wrapped_key)))
    .execute(c)?;
    Ok(n == 1)
}
