//! Diesel queries for helplines (destinations) and routing rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use std::str::FromStr;

use chrono_tz::Tz;

use super::hours::{DateException, OpeningHours, WeeklySlot};
use super::model::{ChangeNotice, Destination, DestinationKind, Helpline, RoutingRule, StoredRule, WatchedField};
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
    /// HMAC key for webhook signatures; write-only through the API.
    pub webhook_secret: Option<String>,
    pub open_on_public_holidays: bool,
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
    pub webhook_secret: Option<Option<String>>,
    pub open_on_public_holidays: Option<bool>,
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
            webhook_secret: row.webhook_secret,
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
            webhook_secret: h.webhook_secret.clone(),
            open_on_public_holidays: d.hours.open_on_public_holidays,
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
    diesel::insert_into(helplines::table).values(HelplineRow::try_from(h)?).execute(conn).map(|_| ())
}

pub fn update_helpline(conn: &mut AnyConnection, id: HelplineId, changes: &HelplineChanges) -> QueryResult<usize> {
    diesel::update(helplines::table.find(id.to_string())).set(changes).execute(conn)
}

/// Records that the helpline's delivery channels changed at `now`.
pub fn mark_channels_changed(conn: &mut AnyConnection, id: HelplineId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(helplines::table.find(id.to_string()))
        .set(helplines::channels_changed_at.eq(Some(now)))
        .execute(conn)
}

/// Records that a supervisor confirmed the helpline's channels at `now`.
pub fn mark_channels_confirmed(conn: &mut AnyConnection, id: HelplineId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(helplines::table.find(id.to_string()))
        .set(helplines::channels_confirmed_at.eq(Some(now)))
        .execute(conn)
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
    diesel::insert_into(routing_rules::table).values(RoutingRuleRow::from(rule)).execute(conn).map(|_| ())
}

pub fn delete_rule(conn: &mut AnyConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(routing_rules::table.find(id)).execute(conn)
}
