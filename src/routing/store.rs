//! Diesel queries for helplines (destinations) and routing rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{helplines, routing_rules};

/// A `helplines` row.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = helplines)]
pub struct HelplineRow {
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
    pub email_includes_contact: bool,
    pub webhook_url: Option<String>,
    /// HMAC key for webhook signatures; write-only through the API.
    pub webhook_secret: Option<String>,
}

impl HelplineRow {
    /// The delivery channels configured for this helpline.
    pub fn channels(&self) -> Vec<&'static str> {
        let mut c = Vec::new();
        if self.intake_email.is_some() {
            c.push("email");
        }
        if self.webhook_url.is_some() && self.webhook_secret.is_some() {
            c.push("webhook");
        }
        c
    }
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
    pub email_includes_contact: Option<bool>,
    pub webhook_url: Option<Option<String>>,
    pub webhook_secret: Option<Option<String>>,
}

/// A `routing_rules` row.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = routing_rules)]
pub struct RoutingRuleRow {
    pub id: String,
    pub priority: i32,
    pub region: Option<String>,
    pub postcode_from: Option<i32>,
    pub postcode_to: Option<i32>,
    pub language: Option<String>,
    pub helpline_id: String,
    pub created_at: NaiveDateTime,
}

pub fn all_helplines(conn: &mut AnyConnection) -> QueryResult<Vec<HelplineRow>> {
    helplines::table.select(HelplineRow::as_select()).order(helplines::code.asc()).load(conn)
}

pub fn find_helpline(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<HelplineRow>> {
    helplines::table.find(id).select(HelplineRow::as_select()).first(conn).optional()
}

pub fn insert_helpline(conn: &mut AnyConnection, row: &HelplineRow) -> QueryResult<()> {
    diesel::insert_into(helplines::table).values(row).execute(conn).map(|_| ())
}

pub fn update_helpline(conn: &mut AnyConnection, id: &str, changes: &HelplineChanges) -> QueryResult<usize> {
    diesel::update(helplines::table.find(id)).set(changes).execute(conn)
}

pub fn all_rules(conn: &mut AnyConnection) -> QueryResult<Vec<RoutingRuleRow>> {
    routing_rules::table
        .select(RoutingRuleRow::as_select())
        .order((routing_rules::priority.asc(), routing_rules::id.asc()))
        .load(conn)
}

pub fn insert_rule(conn: &mut AnyConnection, row: &RoutingRuleRow) -> QueryResult<()> {
    diesel::insert_into(routing_rules::table).values(row).execute(conn).map(|_| ())
}

pub fn delete_rule(conn: &mut AnyConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(routing_rules::table.find(id)).execute(conn)
}
