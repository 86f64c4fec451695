//! Diesel queries for helplines (destinations) and routing rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use std::str::FromStr;

use chrono_tz::Tz;

use super::hours::{DateException, OpeningHours, WeeklySlot};
use super::model::{
    ChangeNotice, Destination, DestinationKind, Helpline, RoutingRule, StoredRule, WatchedField, WebhookSecret,
};
use crate::crypto::{KeyUsage, Sealed, WrappedKey};
use crate::db::schema::{helpline_notices, helplines, routing_rules};
use crate::db::{AnyConnection, corrupt};
use crate::domain::{Email, HelplineId, Language, Region, StaffLanguage};

/// A `helplines` row.
#[derive(Queryable, Selectable, Insertable, Clone)]
#[diesel(table_name = helplines)]
struct HelplineRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub public_phone: String,
    pub languages: String,
    pub time_zone: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub kind: String,
    pub weekly_hours: String,
    pub exceptions: String,
    pub intake_email: Option<String>,
    pub webhook_url: Option<String>,
    /// The webhook secret in plaintext, as stored before secrets were sealed:
    /// emptied (sealed into the three columns below) on every start.
    pub webhook_secret: Option<String>,
    pub open_on_public_holidays: bool,
    /// HMAC key for webhook signatures, sealed; write-only through the API.
    pub webhook_secret_key_id: Option<String>,
    pub webhook_secret_wrapped_key: Option<Vec<u8>>,
    pub webhook_secret_ciphertext: Option<Vec<u8>>,
    pub channels_changed_at: Option<NaiveDateTime>,
    pub channels_confirmed_at: Option<NaiveDateTime>,
}

/// Fields an admin may change on a helpline.
#[derive(AsChangeset, Default)]
#[diesel(table_name = helplines)]
pub struct HelplineChanges {
    pub name: Option<String>,
    pub public_phone: Option<String>,
    pub languages: Option<String>,
    pub active: Option<bool>,
    pub kind: Option<String>,
    pub weekly_hours: Option<String>,
    pub exceptions: Option<String>,
    pub intake_email: Option<Option<String>>,
    pub webhook_url: Option<Option<String>>,
    /// A new secret as given; the service seals it into the columns below.
    #[diesel(skip_update)]
    pub webhook_secret: Option<WebhookSecret>,
    pub open_on_public_holidays: Option<bool>,
    #[diesel(column_name = webhook_secret)]
    pub(super) plaintext_secret: Option<Option<String>>,
    pub(super) webhook_secret_key_id: Option<Option<String>>,
    pub(super) webhook_secret_wrapped_key: Option<Option<Vec<u8>>>,
    pub(super) webhook_secret_ciphertext: Option<Option<Vec<u8>>>,
}

impl HelplineChanges {
    /// Puts a sealed secret in the columns (and empties the plaintext column).
    pub(super) fn set_sealed_secret(&mut self, sealed: Sealed) {
        self.plaintext_secret = Some(None);
        self.webhook_secret_key_id = Some(Some(sealed.key_id));
        self.webhook_secret_wrapped_key = Some(Some(sealed.wrapped_key));
        self.webhook_secret_ciphertext = Some(Some(sealed.ciphertext));
    }
}

/// A `routing_rules` row.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = routing_rules)]
struct RoutingRuleRow {
    pub id: String,
    pub priority: i32,
    pub region: Option<String>,
    pub postcode_from: Option<i32>,
    pub postcode_to: Option<i32>,
    pub language: Option<String>,
    pub helpline_id: String,
    pub created_at: NaiveDateTime,
}

/// Languages are stored as `nl,fr` codes.
pub fn join_languages(langs: &[Language]) -> String {
    langs.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(",")
}

fn to_json<T: serde::Serialize>(v: &T) -> QueryResult<String> {
    serde_json::to_string(v).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
}

fn parse_languages(text: &str) -> Vec<Language> {
    text.split(',').filter_map(|l| Language::from_str(l.trim()).ok()).collect()
}

impl TryFrom<HelplineRow> for Helpline {
    type Error = diesel::result::Error;
    fn try_from(row: HelplineRow) -> QueryResult<Self> {
        let weekly: Vec<WeeklySlot> =
            serde_json::from_str(&row.weekly_hours).map_err(|_| corrupt("helplines", "weekly_hours"))?;
        let exceptions: Vec<DateException> =
            serde_json::from_str(&row.exceptions).map_err(|_| corrupt("helplines", "exceptions"))?;
        let destination = Destination {
            id: HelplineId::parse(&row.id).ok_or_else(|| corrupt("helplines", "id"))?,
            code: row.code,
            kind: DestinationKind::from_str(&row.kind).map_err(|_| corrupt("helplines", "kind"))?,
            languages: parse_languages(&row.languages),
            active: row.active,
            time_zone: Tz::from_str(&row.time_zone).map_err(|_| corrupt("helplines", "time_zone"))?,
            hours: OpeningHours { weekly, exceptions, open_on_public_holidays: row.open_on_public_holidays },
        };
        Ok(Helpline {
            destination,
            name: row.name,
            public_phone: row.public_phone,
            intake_email: row
                .intake_email
                .map(|e| Email::parse(&e).map_err(|_| corrupt("helplines", "intake_email")))
                .transpose()?,
            webhook_url: row.webhook_url,
            webhook_secret: match (
                row.webhook_secret_key_id,
                row.webhook_secret_wrapped_key,
                row.webhook_secret_ciphertext,
            ) {
                (Some(key_id), Some(wrapped_key), Some(ciphertext)) => {
                    Some(WebhookSecret::Sealed(Sealed { key_id, wrapped_key, ciphertext }))
                }
                // Not sealed yet (written before secrets were sealed; the next start seals it).
                _ => row.webhook_secret.map(WebhookSecret::given),
            },
            created_at: row.created_at,
            channels_changed_at: row.channels_changed_at,
            channels_confirmed_at: row.channels_confirmed_at,
        })
    }
}

impl TryFrom<&Helpline> for HelplineRow {
    type Error = diesel::result::Error;
    fn try_from(h: &Helpline) -> QueryResult<Self> {
        let d = &h.destination;
        // Only a sealed secret is ever written.
        let sealed = match &h.webhook_secret {
            None => None,
            Some(WebhookSecret::Sealed(s)) => Some(s),
            Some(WebhookSecret::Given(_)) => {
                return Err(diesel::result::Error::SerializationError("webhook secret not sealed".into()));
            }
        };
        Ok(HelplineRow {
            id: d.id.to_string(),
            code: d.code.clone(),
            name: h.name.clone(),
            public_phone: h.public_phone.clone(),
            languages: join_languages(&d.languages),
            time_zone: d.time_zone.name().to_string(),
            active: d.active,
            created_at: h.created_at,
            kind: d.kind.as_str().into(),
            weekly_hours: to_json(&d.hours.weekly)?,
            exceptions: to_json(&d.hours.exceptions)?,
            intake_email: h.intake_email.as_ref().map(|e| e.as_str().to_string()),
            webhook_url: h.webhook_url.clone(),
            webhook_secret: None,
            open_on_public_holidays: d.hours.open_on_public_holidays,
            webhook_secret_key_id: sealed.map(|s| s.key_id.clone()),
            webhook_secret_wrapped_key: sealed.map(|s| s.wrapped_key.clone()),
            webhook_secret_ciphertext: sealed.map(|s| s.ciphertext.clone()),
            channels_changed_at: h.channels_changed_at,
            channels_confirmed_at: h.channels_confirmed_at,
        })
    }
}

impl TryFrom<RoutingRuleRow> for StoredRule {
    type Error = diesel::result::Error;
    fn try_from(r: RoutingRuleRow) -> QueryResult<Self> {
        let bad = || corrupt("routing_rules", "row");
        let rule = RoutingRule {
            priority: r.priority,
            region: r.region.as_deref().map(Region::from_str).transpose().map_err(|_| bad())?,
            postcodes: match (r.postcode_from, r.postcode_to) {
                (Some(f), Some(t)) => {
                    Some((u16::try_from(f).map_err(|_| bad())?, u16::try_from(t).map_err(|_| bad())?))
                }
                _ => None,
            },
            language: r.language.as_deref().map(Language::from_str).transpose().map_err(|_| bad())?,
            helpline: HelplineId::parse(&r.helpline_id).ok_or_else(bad)?,
        };
        Ok(StoredRule { id: r.id, rule, created_at: r.created_at })
    }
}

impl From<&StoredRule> for RoutingRuleRow {
    fn from(s: &StoredRule) -> Self {
        let r = &s.rule;
        RoutingRuleRow {
            id: s.id.clone(),
            priority: r.priority,
            region: r.region.map(|x| x.as_str().to_string()),
            postcode_from: r.postcodes.map(|(f, _)| i32::from(f)),
            postcode_to: r.postcodes.map(|(_, t)| i32::from(t)),
            language: r.language.map(|x| x.as_str().to_string()),
            helpline_id: r.helpline.to_string(),
            created_at: s.created_at,
        }
    }
}

pub fn all_helplines(conn: &mut AnyConnection) -> QueryResult<Vec<Helpline>> {
    let rows: Vec<HelplineRow> =
        helplines::table.select(HelplineRow::as_select()).order(helplines::code.asc()).load(conn)?;
    rows.into_iter().map(Helpline::try_from).collect()
}

pub fn find_helpline(conn: &mut AnyConnection, id: HelplineId) -> QueryResult<Option<Helpline>> {
    let row = helplines::table.find(id.to_string()).select(HelplineRow::as_select()).first(conn).optional()?;
    row.map(Helpline::try_from).transpose()
}

pub fn insert_helpline(conn: &mut AnyConnection, h: &Helpline) -> QueryResult<()> {
    diesel::insert_into(helplines::table).values(HelplineRow::try_from(h)?).execute(conn)?;
    super::cache::bump(conn)
}

pub fn update_helpline(conn: &mut AnyConnection, id: HelplineId, changes: &HelplineChanges) -> QueryResult<usize> {
    let n = diesel::update(helplines::table.find(id.to_string())).set(changes).execute(conn)?;
    super::cache::bump(conn)?;
    Ok(n)
}

/// Records that the helpline's delivery channels changed at `now`.
pub fn mark_channels_changed(conn: &mut AnyConnection, id: HelplineId, now: NaiveDateTime) -> QueryResult<usize> {
    let n = diesel::update(helplines::table.find(id.to_string()))
        .set(helplines::channels_changed_at.eq(Some(now)))
        .execute(conn)?;
    super::cache::bump(conn)?;
    Ok(n)
}

/// Records that a supervisor confirmed the helpline's channels at `now`.
pub fn mark_channels_confirmed(conn: &mut AnyConnection, id: HelplineId, now: NaiveDateTime) -> QueryResult<usize> {
    let n = diesel::update(helplines::table.find(id.to_string()))
        .set(helplines::channels_confirmed_at.eq(Some(now)))
        .execute(conn)?;
    super::cache::bump(conn)?;
    Ok(n)
}

/// A `helpline_notices` row.
#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = helpline_notices)]
struct NoticeRow {
    id: String,
    helpline_id: String,
    recipient: String,
    language: String,
    changed: String,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    locked_until: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

impl TryFrom<NoticeRow> for ChangeNotice {
    type Error = diesel::result::Error;
    fn try_from(r: NoticeRow) -> QueryResult<Self> {
        let bad = |column: &str| corrupt("helpline_notices", column);
        Ok(ChangeNotice {
            id: r.id,
            helpline: HelplineId::parse(&r.helpline_id).ok_or_else(|| bad("helpline_id"))?,
            recipient: Email::parse(&r.recipient).map_err(|_| bad("recipient"))?,
            language: StaffLanguage::from_str(&r.language).map_err(|_| bad("language"))?,
            changed: r
                .changed
                .split(',')
                .map(|f| WatchedField::from_str(f).map_err(|_| bad("changed")))
                .collect::<QueryResult<_>>()?,
            attempts: r.attempts,
            created_at: r.created_at,
        })
    }
}

pub fn insert_notice(conn: &mut AnyConnection, n: &ChangeNotice) -> QueryResult<()> {
    let row = NoticeRow {
        id: n.id.clone(),
        helpline_id: n.helpline.to_string(),
        recipient: n.recipient.as_str().to_string(),
        language: n.language.as_str().to_string(),
        changed: n.changed.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(","),
        attempts: n.attempts,
        next_attempt_at: n.created_at,
        locked_until: None,
        created_at: n.created_at,
    };
    diesel::insert_into(helpline_notices::table).values(row).execute(conn).map(|_| ())
}

/// Takes up to `limit` due notices, leased until `lease_until` (a conditional update
/// per row, so two instances never take the same one).
pub fn claim_due_notices(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ChangeNotice>> {
    let free = helpline_notices::locked_until.is_null().or(helpline_notices::locked_until.lt(now));
    let ids: Vec<String> = helpline_notices::table
        .filter(helpline_notices::next_attempt_at.le(now))
        .filter(free)
        .select(helpline_notices::id)
        .order(helpline_notices::next_attempt_at.asc())
        .limit(limit)
        .load(conn)?;
    let mut claimed = Vec::new();
    for id in ids {
        let n = diesel::update(helpline_notices::table.find(&id).filter(free))
            .set(helpline_notices::locked_until.eq(Some(lease_until)))
            .execute(conn)?;
        if n == 1 {
            claimed.push(id);
        }
    }
    let rows: Vec<NoticeRow> = helpline_notices::table
        .filter(helpline_notices::id.eq_any(&claimed))
        .select(NoticeRow::as_select())
        .load(conn)?;
    rows.into_iter().map(ChangeNotice::try_from).collect()
}

/// A sent notice is deleted (the audit log keeps the change).
pub fn delete_notice(conn: &mut AnyConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(helpline_notices::table.find(id)).execute(conn)
}

/// A notice that could not be sent is tried again at `next`.
pub fn retry_notice(conn: &mut AnyConnection, id: &str, attempts: i32, next: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(helpline_notices::table.find(id))
        .set((
            helpline_notices::attempts.eq(attempts),
            helpline_notices::next_attempt_at.eq(next),
            helpline_notices::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

pub fn all_rules(conn: &mut AnyConnection) -> QueryResult<Vec<StoredRule>> {
    let rows: Vec<RoutingRuleRow> = routing_rules::table
        .select(RoutingRuleRow::as_select())
        .order((routing_rules::priority.asc(), routing_rules::id.asc()))
        .load(conn)?;
    rows.into_iter().map(StoredRule::try_from).collect()
}

pub fn insert_rule(conn: &mut AnyConnection, rule: &StoredRule) -> QueryResult<()> {
    diesel::insert_into(routing_rules::table).values(RoutingRuleRow::from(rule)).execute(conn)?;
    super::cache::bump(conn)
}

pub fn delete_rule(conn: &mut AnyConnection, id: &str) -> QueryResult<usize> {
    let n = diesel::delete(routing_rules::table.find(id)).execute(conn)?;
    super::cache::bump(conn)?;
    Ok(n)
}

pub fn find_rule(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<StoredRule>> {
    let row: Option<RoutingRuleRow> =
        routing_rules::table.find(id).select(RoutingRuleRow::as_select()).first(conn).optional()?;
    row.map(StoredRule::try_from).transpose()
}

pub fn set_rule_priority(conn: &mut AnyConnection, id: &str, priority: i32) -> QueryResult<usize> {
    let n = diesel::update(routing_rules::table.find(id)).set(routing_rules::priority.eq(priority)).execute(conn)?;
    super::cache::bump(conn)?;
    Ok(n)
}

/// Helplines whose webhook secret is still stored in plaintext.
pub fn plaintext_webhook_secrets(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    let rows: Vec<(String, Option<String>)> = helplines::table
        .filter(helplines::webhook_secret.is_not_null())
        .select((helplines::id, helplines::webhook_secret))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, s)| Some((id, s?))).collect())
}

/// Replaces a plaintext secret with its sealed form, if it is still that secret.
pub fn seal_plaintext_webhook_secret(
    conn: &mut AnyConnection,
    id: &str,
    plaintext: &str,
    sealed: Sealed,
) -> QueryResult<bool> {
    let mut changes = HelplineChanges::default();
    changes.set_sealed_secret(sealed);
    let n =
        diesel::update(helplines::table.filter(helplines::id.eq(id)).filter(helplines::webhook_secret.eq(plaintext)))
            .set(&changes)
            .execute(conn)?;
    super::cache::bump(conn)?;
    Ok(n == 1)
}

// Key rotation of webhook secrets (see `rotation`): an update only touches a row
// still holding the wrapped key that was read.

/// A page of webhook secrets' wrapped keys after `after` (helpline id order).
pub fn webhook_keys_after(conn: &mut AnyConnection, after: &str, limit: i64) -> QueryResult<Vec<(String, WrappedKey)>> {
    let rows: Vec<(String, Option<String>, Option<Vec<u8>>)> = helplines::table
        .filter(helplines::id.gt(after))
        .filter(helplines::webhook_secret_key_id.is_not_null())
        .order(helplines::id.asc())
        .limit(limit)
        .select((helplines::id, helplines::webhook_secret_key_id, helplines::webhook_secret_wrapped_key))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kid, wrapped)| Some((id, WrappedKey { key_id: kid?, wrapped_key: wrapped? })))
        .collect())
}

/// Re-wraps a webhook secret's data key if the row still holds `old`.
pub fn rewrap_webhook_secret(
    conn: &mut AnyConnection,
    id: &str,
    old: &WrappedKey,
    new: &WrappedKey,
) -> QueryResult<bool> {
    let n = diesel::update(
        helplines::table
            .filter(helplines::id.eq(id))
            .filter(helplines::webhook_secret_key_id.eq(&old.key_id))
            .filter(helplines::webhook_secret_wrapped_key.eq(&old.wrapped_key)),
    )
    .set((helplines::webhook_secret_key_id.eq(&new.key_id), helplines::webhook_secret_wrapped_key.eq(&new.wrapped_key)))
    .execute(conn)?;
    super::cache::bump(conn)?;
    Ok(n == 1)
}

/// Webhook secrets per master key (they have no format before purpose keys).
pub fn webhook_key_usage(conn: &mut AnyConnection) -> QueryResult<Vec<KeyUsage>> {
    let rows: Vec<(Option<String>, i64)> = helplines::table
        .filter(helplines::webhook_secret_key_id.is_not_null())
        .group_by(helplines::webhook_secret_key_id)
        .select((helplines::webhook_secret_key_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(KeyUsage::merge(rows.into_iter().filter_map(|(k, n)| Some((k?, n))).collect(), Vec::new()))
}
